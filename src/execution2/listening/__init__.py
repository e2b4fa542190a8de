"""Market listening: conversations, sentiment, themes, spikes, share of voice."""
