"""Altinn dispatches (seed 001): shared attachments, Initialize, publishing, notifying, and what the recipient
does after publishing."""
