"""Check a sentence from the news against the data: find its quantitative claims and compare each with
the figure definition in ``warduty.stats`` (or the asylum series) that it states."""
