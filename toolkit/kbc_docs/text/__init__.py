"""Language-specific text: locale wording, line-break segmentation, the Khmer calendar, fonts."""
