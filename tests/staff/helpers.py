"""What a person does on an admin page, said once for the browser tests."""

import re


def confirm_if_asked(page) -> None:
    """Answer "yes" on an action's confirmation page, when the action shows one."""
    page.wait_for_load_state()
    # The shared confirmation page carries a hidden confirm=yes and a "Yes, I'm sure" submit button.
    confirm = page.get_by_role("button", name=re.compile(r"^Yes\b"))
    if confirm.count():
        confirm.first.click()
        page.wait_for_load_state()


def run_action(page, action_label: str, *row_labels: str, confirm: bool = True) -> None:
    """On a change list: tick the rows whose link reads each label, choose the action, Go, confirm if asked."""
    for label in row_labels:
        row = page.locator("#result_list tbody tr").filter(has=page.get_by_role("link", name=label, exact=True))
        row.locator("input.action-select").check()
    page.select_option("select[name=action]", label=action_label)
    page.click("button[name=index]")
    if confirm:
        confirm_if_asked(page)


def success_messages(page) -> list[str]:
    return page.locator("ul.messagelist li.success").all_inner_texts()


def error_messages(page) -> list[str]:
    return page.locator("ul.messagelist li.error").all_inner_texts()
