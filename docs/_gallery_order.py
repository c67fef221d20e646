"""The order of the gallery: the questions skact grew from, as a newcomer asks them."""

STORY = [
    "plot_activation_derivatives.py",
    "plot_relu_vs_sigmoid_tiny_data.py",
    "plot_leaky_relu_raw_vs_scaled.py",
    "plot_grid_search_activations.py",
    "plot_training_history.py",
    "plot_custom_activation_gradient_check.py",
    "plot_scaling_out.py",
    "plot_serving_onnx.py",
]


class StoryOrder:
    """sphinx-gallery's sort key: an example's place in :data:`STORY`.

    Parameters
    ----------
    src_dir : str
        The gallery's folder (unused: the order is by file name).
    """

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        # An example not yet placed goes last, where the build still shows it.
        return STORY.index(filename) if filename in STORY else len(STORY)
