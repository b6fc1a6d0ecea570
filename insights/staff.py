"""What insights shows staff: the customer's workspace, with its analytics, on the contact's page."""

from .workspace.page import customer_workspace


def customer_page(contact, request) -> dict:
    return {"workspace": customer_workspace(contact, request)}
