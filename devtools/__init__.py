"""Developer tooling (sample generator, benchmarks); never imported by the app or data_access."""
