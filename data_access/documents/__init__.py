"""Documents that leave the app: the Word report, the briefing pack and the chart images they carry,
assembled from the views."""
