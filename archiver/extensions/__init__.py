"""Components that watch the crawl as a whole (runs, fetches)."""
