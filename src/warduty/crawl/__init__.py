"""Crawling: the one network door (client), the WARC archive, the durable frontier and the crawler."""
