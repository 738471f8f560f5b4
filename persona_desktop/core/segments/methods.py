"""The clustering segmenters by name: K-Means, DBSCAN and hierarchical clustering, one module each.

scikit-learn conventions (``sklearn/base.py``): ``__init__`` only stores the
parameters, ``fit(X, progress)`` returns ``self``, learned attributes end in
``_``, ``random_state`` is kept as given, so the segmenters can be cloned,
compared and used from scripts. ``X`` is a :class:`~persona_desktop.core.segments.features.FeatureMatrix`
or a 2-D float array.

Every segmenter sets:

``labels_``            int array, one per customer; segments are numbered by size,
                       largest first; DBSCAN noise is -1
``n_clusters_``        number of segments (noise not counted)
``cluster_centers_``   centre of each segment in the feature space
``sizes_``             customers per segment
``notes_``             list of Message: what the user should be told (sampling…)
``sample_indices_``    the customers the clustering was fitted on when it was
                       fitted on a sample (the others were assigned), else None

Same data and ``random_state`` → the same labels.
"""

from __future__ import annotations

from persona_desktop.core.segments.dbscan import DBSCANSegmenter
from persona_desktop.core.segments.hierarchical import HierarchicalSegmenter
from persona_desktop.core.segments.kmeans import KMeansSegmenter
from persona_desktop.core.segments.segmenter import LINKAGES, METRICS

__all__ = ["KMeansSegmenter", "DBSCANSegmenter", "HierarchicalSegmenter", "METRICS", "LINKAGES"]
