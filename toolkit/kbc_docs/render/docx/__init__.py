"""The Word renderer: docxtpl, then post-processing passes over the package."""
