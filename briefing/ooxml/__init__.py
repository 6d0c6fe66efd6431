"""The only layer that touches lxml and WordprocessingML markup."""
