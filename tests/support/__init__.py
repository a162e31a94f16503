"""Shared test fixture builders (real PKI, SoftHSM2 tokens, sample documents)."""
