"""Domain: what the figures mean (filters, periods, the indicator catalogue, formats, text); imports no other layer."""
