"""Letters per customer (seed 000): created, changed, rendered as a PDF letter, emailed, delivered."""
