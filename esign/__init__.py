"""Electronic signature of the insured's loss-run authorization, inside the product."""
