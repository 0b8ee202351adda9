"""Sending requests to carriers from the product: by e-mail, or by hand (fax, portal, mail)."""
