"""What happens to an item: validate, dedupe, store."""
