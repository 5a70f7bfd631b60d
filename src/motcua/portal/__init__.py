"""What citizens and businesses see: accounts, applying online, tracking, their documents."""
