"""Units report for themselves: the form (form.py) and its approval workflow (workflow.py)."""
