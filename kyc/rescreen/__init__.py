"""Full rescreens in partitions: each partition of customers is verified, checked,
screened and committed on its own, so that a run that dies is resumed where it stopped
and ends as an uninterrupted run would have."""
