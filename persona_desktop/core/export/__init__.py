"""What the owner takes away: the workbook and its xlsx writer, native charts, the PDF report, privacy masks, CSV and chart files, and the export bundle."""
