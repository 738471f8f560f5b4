"""The clustering segmenters by name: K-Means, DBSCAN and hierarchical clustering, one module each.

What every segmenter sets (``labels_``, ``n_clusters_``, ``notes_``…) and the
scikit-learn conventions they follow are said once, in
:mod:`persona_desktop.core.segments.segmenter`.
"""

from __future__ import annotations

from persona_desktop.core.segments.dbscan import DBSCANSegmenter
from persona_desktop.core.segments.hierarchical import HierarchicalSegmenter
from persona_desktop.core.segments.kmeans import KMeansSegmenter
from persona_desktop.core.segments.segmenter import LINKAGES, METRICS

__all__ = ["KMeansSegmenter", "DBSCANSegmenter", "HierarchicalSegmenter", "METRICS", "LINKAGES"]
