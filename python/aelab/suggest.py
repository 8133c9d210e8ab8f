"""The name a mistyped one most likely meant, as run_sweep and make_table suggest it
(framework/core/suggest.cpp): a name cut short (`transfer.labels` for
`transfer.labels_per_class`, the nearest of several), a key without its section
(`labels_per_class`), else the closest spelling."""
import difflib


def closest_match(word, candidates, cutoff=0.6):
    """The candidate `word` most likely meant, or None."""
    candidates = [str(c) for c in candidates]
    if word in candidates:
        return word
    for candidate in candidates:
        if candidate.lower() == word.lower():
            return candidate
    if len(word) >= 3:
        starting = [c for c in candidates if c.startswith(word)]
        if starting:
            return max(starting, key=lambda c: difflib.SequenceMatcher(None, word, c).ratio())
        sectioned = [c for c in candidates if c.endswith("." + word)]
        if len(sectioned) == 1:
            return sectioned[0]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    return close[0] if close else None
