"""康复器材: the device catalogue (catalogue), stock and its movements (stock), issuing and taking back
(issue), and the issued history, receipts and figures (history)."""
