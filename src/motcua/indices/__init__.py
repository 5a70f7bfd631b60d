"""The composite-index engine: methodologies as data, scores, ranks, lost points, what-if."""
