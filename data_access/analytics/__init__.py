"""Derived products: the gender index (and its uncertainty), the Word report, exports."""
