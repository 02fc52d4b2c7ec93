"""How the benchmarks print their figures: a Markdown table (first column left, the others
right-aligned) that pastes into an issue note or the README as it is, and percentiles."""


def markdown_table(headers, rows):
    """The lines of a Markdown table of `rows` (sequences of strings) under `headers`."""
    widths = [max(len(str(h)), *(len(str(row[i])) for row in rows)) for i, h in enumerate(headers)]
    lines = [
        "| " + " | ".join(str(h).ljust(w) for h, w in zip(headers, widths)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    for row in rows:
        cells = (str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def percentile(values, fraction):
    """The value at `fraction` (0.5, 0.95, 0.99) of the sorted values (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]
