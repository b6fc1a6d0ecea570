"""Writes and side effects of the communications app. Every entry point calls these."""

from .outbound import send_again, send_email, send_sms

__all__ = ["send_again", "send_email", "send_sms"]
