"""Hand-labelled gold sets (labels only; the pages stay in ../shared/bench/)."""
