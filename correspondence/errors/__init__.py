"""Refusals particular to correspondence, by sub-domain: `letters` and `dispatches`. Each API family words
them in its own error body."""
