"""Many articles to one dataset: linking events across articles, reprocessing stored answers."""

from ._clusters import CLUSTER_SQL, write_clusters_jsonl, write_clusters_sqlite
from ._link import ClusterLink, EventCluster, LinkRules, Mention, link_events

__all__ = [
    "CLUSTER_SQL",
    "ClusterLink",
    "EventCluster",
    "LinkRules",
    "Mention",
    "link_events",
    "write_clusters_jsonl",
    "write_clusters_sqlite",
]
