"""The Scrapy side of the crawl benchmark: follow every in-site link from the start URLs, politely.

Run as: python3 -m scrapy runspider scrapy_spider.py -a start_urls=URL,URL,... -a delay=0.2

Scrapy keys its per-site politeness ("download slots") by host name without the port, so the
twenty 127.0.0.1:<port> sites would share one slot; each request here names its slot by host and
port instead, which is what the benchmark compares (the robots.txt requests Scrapy makes itself
still share one slot, which is why Scrapy's log shows a few requests to one site closer than
the delay: a robots.txt fetch and a page fetch in different slots).
"""
from urllib.parse import urlparse

import scrapy


class BenchSpider(scrapy.Spider):
    name = "bench"
    custom_settings = {
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": 64,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "RANDOMIZE_DOWNLOAD_DELAY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "USER_AGENT": "scrapy-bench",
        "TELNETCONSOLE_ENABLED": False,
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        # What Scrapy's "Broad Crawls" guide recommends for many sites at once: the default
        # queue feeds one site's requests in bursts and starves the others.
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
    }

    def __init__(self, start_urls="", delay="0.2", **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [u for u in start_urls.split(",") if u]
        # Read by Scrapy's downloader when it creates each slot.
        self.download_delay = float(delay)

    def start_requests(self):
        for url in self.start_urls:
            yield self.request(url)

    def request(self, url):
        return scrapy.Request(url, meta={"download_slot": urlparse(url).netloc})

    def parse(self, response):
        here = urlparse(response.url).netloc
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if urlparse(url).netloc == here:
                yield self.request(url)
