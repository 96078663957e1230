"""Reader comments as records: number, author, date, text, parent, anchor and kind."""

from archiver.extract.comments.reading import CommentsResult, extract_comments

__all__ = ["CommentsResult", "extract_comments"]
