"""Storage: configuration, engine, models, migrations, and the writes every service shares; imports only the domain."""
