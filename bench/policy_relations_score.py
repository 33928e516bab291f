"""Print precision and recall of the policy parser's relations per fixture, tuned and held-out.

.venv/bin/python bench/policy_relations_score.py
"""

from dsgen_dagster_tests.policy_goldens import table

if __name__ == "__main__":
    print(table())
