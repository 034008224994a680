"""Page panels: one module per page family, each function feeding one panel of ui/data.py."""
