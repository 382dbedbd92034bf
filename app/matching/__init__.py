"""The provisions pillar: the catalogue of reviewed provisions and matching a founder's profile to them."""
