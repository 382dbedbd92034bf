"""What founders asked and how they rated the answers: the question log and the ratings, in one database."""
