"use strict";
// Letters: the preview of a letter being written, and adding addresses when emailing one.
document.addEventListener("DOMContentLoaded", () => {
    const previewButton = document.getElementById("letter-preview-button");
    if (previewButton) {
        const area = document.getElementById("letter-preview");
        previewButton.addEventListener("click", async () => {
            const form = previewButton.closest("form");
            previewButton.disabled = true;
            area.setAttribute("aria-busy", "true");
            area.innerHTML = '<p class="letter-preview-note">Making the preview…</p>';
            try {
                const response = await fetch(previewButton.dataset.url, {
                    method: "POST",
                    body: new FormData(form),
                    credentials: "same-origin",
                });
                area.innerHTML = response.ok
                    ? await response.text()
                    : '<p class="errornote">The preview could not be made just now. Please try again.</p>';
            } catch (error) {
                area.innerHTML = '<p class="errornote">The preview could not be made: the server did not answer.</p>';
            }
            area.removeAttribute("aria-busy");
            previewButton.disabled = false;
            area.scrollIntoView({block: "start"});
        });
    }

    const addAddress = document.getElementById("add-address");
    if (addAddress) {
        const prefix = addAddress.dataset.prefix;
        const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
        const template = document.getElementById("letter-address-template");
        const list = document.getElementById("letter-addresses");
        addAddress.addEventListener("click", () => {
            const index = Number(total.value);
            const row = template.content.firstElementChild.cloneNode(true);
            row.querySelectorAll("[id], [name], [for]").forEach((element) => {
                for (const attribute of ["id", "name", "for"]) {
                    const value = element.getAttribute(attribute);
                    if (value) element.setAttribute(attribute, value.replace("__prefix__", index));
                }
            });
            list.appendChild(row);
            total.value = index + 1;
            row.querySelector("input[type=email], input[type=text]").focus();
        });
    }
});
