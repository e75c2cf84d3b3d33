"""leadbase spiders: the Scrapy project (scrapy.cfg -> spiders.settings)."""
