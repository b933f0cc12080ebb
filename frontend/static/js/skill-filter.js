// The skill picker's filter box (progressive enhancement: without JavaScript the box stays
// hidden and every group opens by hand). Typing shows only the skills whose name, other
// names or group contain the words, and opens the groups that hold them.
for (const picker of document.querySelectorAll("[data-skill-picker]")) {
  const box = picker.querySelector("[data-skill-filter]");
  const input = box.querySelector("input");
  box.hidden = false;
  input.addEventListener("input", () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const group of picker.querySelectorAll("[data-skill-group]")) {
      let shown = 0;
      for (const row of group.querySelectorAll("[data-skill]")) {
        const fits = words.every((word) => row.dataset.skill.includes(word));
        row.hidden = !fits;
        const nice = row.nextElementSibling;
        if (nice && nice.classList.contains("govuk-checkboxes__conditional")) {
          nice.hidden = !fits;
        }
        shown += fits;
      }
      group.hidden = shown === 0;
      if (words.length) group.open = shown > 0;
    }
  });
}
