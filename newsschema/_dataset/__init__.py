"""Many articles to one dataset: linking events across articles, reprocessing stored answers."""

__all__: list[str] = []
