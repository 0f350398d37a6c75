"""Crawl-scale batch: the Spark job (``spark_job``) and the bulk loader (``load``).

The job computes, on many machines, the same records ``ingest`` stores on one: each capture
goes through ``newsarchive.process`` on an executor, site chrome is learned per site, and the
duplicate rules (exact copies, site boilerplate, copy pairs, clusters, versions) run as joins
and groupings whose answers do not depend on order. It writes Parquet tables (``schema``);
``load`` puts them into any archive backend through the Store protocol and indexes them.
"""
