"""节日慰问: campaigns (campaigns), the festival visit criteria and the proposal drawn from them (criteria),
a campaign's list of lines (lines), recording what was given (recording), and looking back (history)."""
