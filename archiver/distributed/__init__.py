"""Distributed crawling on scrapy-redis: workers share requests in Redis, one drain writes the archive.

- ``state``: the Redis keys of a crawl, the connection, leases of in-flight requests;
- ``scheduler``: scrapy-redis's scheduler with leases, heartbeats and the idle rule;
- ``spider``: the article spider reading its allowed sites from Redis;
- ``politeness``: each site's delay and concurrency held by all workers together (a slot per site);
- ``middlewares``: conditional requests, the recrawl policy and each site's depth in a worker;
- ``pipeline`` and ``runlog``: items and fetch records sent to Redis instead of SQLite;
- ``progress``: a worker's progress line;
- ``enqueue``: start URLs pushed once into the shared queue;
- ``drain``: the one writer moving items from Redis into the archive;
- ``worker``: running one worker in this process.
"""
