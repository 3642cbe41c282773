"""Many articles to one dataset: linking events across articles, reprocessing stored answers."""

from ._clusters import CLUSTER_SQL, write_clusters_jsonl, write_clusters_sqlite
from ._link import ClusterLink, EventCluster, LinkRules, Mention, link_events
from ._reprocess import LineProblem, ReprocessReport, changed_fields, reprocess

__all__ = [
    "CLUSTER_SQL",
    "ClusterLink",
    "EventCluster",
    "LineProblem",
    "LinkRules",
    "Mention",
    "ReprocessReport",
    "changed_fields",
    "link_events",
    "reprocess",
    "write_clusters_jsonl",
    "write_clusters_sqlite",
]
