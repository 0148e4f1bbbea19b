"""Class names, palettes, left/right flip pairs and joint-region groups.

Every dataset's ``METAINFO`` is built from here so transforms, label
generators, metrics and the toy-data writer agree on one definition.

Keys of a METAINFO dict:
    classes (tuple[str]): part classes, index 0 is background.
    palette (list[list[int]]): RGB colour per class.
    flip_pairs (tuple[tuple[int, int]]): part labels that swap under a
        horizontal flip (left <-> right).
    joint_names / joint_groups: the merged regions whose centres are the
        SS-NAN "self-supervised joints" (arXiv:1803.07741, Sec. 3.3, Fig. 3): a
        tuple of names and a tuple of label tuples, one per joint.
    joint_flip_pairs: joint indices that swap under a horizontal flip.
    keypoint_names / keypoint_flip_pairs (LIP only): the 16 MPII-ordered
        pose keypoints of the LIP pose csv.
"""


def voc_palette(num_classes: int) -> list:
    """PASCAL VOC bit-interleaved colour map, the palette LIP/CIHP tools use.

    Args:
        num_classes (int): number of colours.

    Returns:
        list[list[int]]: ``num_classes`` RGB triples in [0, 255].
    """
    palette = []
    for i in range(num_classes):
        r = g = b = 0
        c = i
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        palette.append([r, g, b])
    return palette


# SS-NAN's nine joints (arXiv:1803.07741, Sec. 3.3): order used everywhere.
NINE_JOINTS = ('head', 'upper_body', 'lower_body', 'left_arm', 'right_arm',
               'left_leg', 'right_leg', 'left_shoe', 'right_shoe')
NINE_JOINT_FLIP_PAIRS = ((3, 4), (5, 6), (7, 8))

LIP_CLASSES = ('background', 'hat', 'hair', 'glove', 'sunglasses',
               'upper-clothes', 'dress', 'coat', 'socks', 'pants', 'jumpsuits',
               'scarf', 'skirt', 'face', 'left-arm', 'right-arm', 'left-leg',
               'right-leg', 'left-shoe', 'right-shoe')

# LIP pose: 16 keypoints in MPII order.
LIP_KEYPOINTS = ('r_ankle', 'r_knee', 'r_hip', 'l_hip', 'l_knee', 'l_ankle',
                 'pelvis', 'thorax', 'upper_neck', 'head_top', 'r_wrist',
                 'r_elbow', 'r_shoulder', 'l_shoulder', 'l_elbow', 'l_wrist')
LIP_KEYPOINT_FLIP_PAIRS = ((0, 5), (1, 4), (2, 3), (10, 15), (11, 14), (12,
                                                                        13))

LIP_METAINFO = dict(
    classes=LIP_CLASSES,
    palette=voc_palette(len(LIP_CLASSES)),
    flip_pairs=((14, 15), (16, 17), (18, 19)),
    joint_names=NINE_JOINTS,
    joint_groups=(
        (1, 2, 4, 13),  # head: hat, hair, sunglasses, face
        (5, 6, 7, 10, 11),  # upper body: upper-clothes, dress, coat,
        # jumpsuits, scarf
        (9, 12),  # lower body: pants, skirt
        (14, ), (15, ), (16, ), (17, ), (18, ), (19, )),
    joint_flip_pairs=NINE_JOINT_FLIP_PAIRS,
    keypoint_names=LIP_KEYPOINTS,
    keypoint_flip_pairs=LIP_KEYPOINT_FLIP_PAIRS)

CIHP_CLASSES = LIP_CLASSES[:10] + ('torso-skin', ) + LIP_CLASSES[11:]
CIHP_METAINFO = dict(
    classes=CIHP_CLASSES,
    palette=voc_palette(len(CIHP_CLASSES)),
    flip_pairs=((14, 15), (16, 17), (18, 19)),
    joint_names=NINE_JOINTS,
    joint_groups=((1, 2, 4, 13), (5, 6, 7, 10, 11), (9, 12), (14, ), (15, ),
                  (16, ), (17, ), (18, ), (19, )),
    joint_flip_pairs=NINE_JOINT_FLIP_PAIRS)

ATR_CLASSES = ('background', 'hat', 'hair', 'sunglasses', 'upper-clothes',
               'skirt', 'pants', 'dress', 'belt', 'left-shoe', 'right-shoe',
               'face', 'left-leg', 'right-leg', 'left-arm', 'right-arm', 'bag',
               'scarf')
ATR_METAINFO = dict(
    classes=ATR_CLASSES,
    palette=voc_palette(len(ATR_CLASSES)),
    flip_pairs=((9, 10), (12, 13), (14, 15)),
    joint_names=NINE_JOINTS,
    joint_groups=(
        (1, 2, 3, 11),  # head: hat, hair, sunglasses, face
        (4, 7, 17),  # upper body: upper-clothes, dress, scarf
        (5, 6, 8),  # lower body: skirt, pants, belt
        (14, ), (15, ), (12, ), (13, ), (9, ), (10, )),
    joint_flip_pairs=NINE_JOINT_FLIP_PAIRS)

PPP_CLASSES = ('background', 'head', 'torso', 'upper-arms', 'lower-arms',
               'upper-legs', 'lower-legs')
PPP_METAINFO = dict(
    classes=PPP_CLASSES,
    palette=voc_palette(len(PPP_CLASSES)),
    flip_pairs=(),
    # PASCAL-Person-Part has no left/right parts, so its joints are the
    # centres of its six part regions (no flip pairs).
    joint_names=('head', 'torso', 'upper_arms', 'lower_arms', 'upper_legs',
                 'lower_legs'),
    joint_groups=((1, ), (2, ), (3, ), (4, ), (5, ), (6, )),
    joint_flip_pairs=())

MHP_CLASSES = (
    'background', 'cap/hat', 'helmet', 'face', 'hair', 'left-arm', 'right-arm',
    'left-hand', 'right-hand', 'protector', 'bikini/bra',
    'jacket/windbreaker/hoodie', 't-shirt', 'polo-shirt', 'sweater', 'singlet',
    'torso-skin', 'pants', 'shorts/swim-shorts', 'skirt', 'stockings', 'socks',
    'left-boot', 'right-boot', 'left-shoe', 'right-shoe', 'left-highheel',
    'right-highheel', 'left-sandal', 'right-sandal', 'left-leg', 'right-leg',
    'left-foot', 'right-foot', 'coat', 'dress', 'robe', 'jumpsuit',
    'other-full-body-clothes', 'headwear', 'backpack', 'ball', 'bats', 'belt',
    'bottle', 'carrybag', 'cases', 'sunglasses', 'eyewear', 'glove', 'scarf',
    'umbrella', 'wallet/purse', 'watch', 'wristband', 'tie',
    'other-accessary', 'other-upper-body-clothes', 'other-lower-body-clothes')
MHP_METAINFO = dict(
    classes=MHP_CLASSES,
    palette=voc_palette(len(MHP_CLASSES)),
    flip_pairs=((5, 6), (7, 8), (22, 23), (24, 25), (26, 27), (28, 29),
                (30, 31), (32, 33)),
    joint_names=NINE_JOINTS,
    joint_groups=(
        (1, 2, 3, 4, 39, 47, 48),  # head
        (10, 11, 12, 13, 14, 15, 16, 34, 35, 36, 37, 38, 57),  # upper body
        (17, 18, 19, 58),  # lower body
        (5, 7), (6, 8), (30, ), (31, ), (22, 24, 26, 28, 32),
        (23, 25, 27, 29, 33)),
    joint_flip_pairs=NINE_JOINT_FLIP_PAIRS)

assert len(MHP_CLASSES) == 59 and len(LIP_CLASSES) == 20
assert len(ATR_CLASSES) == 18 and len(CIHP_CLASSES) == 20

# dataset name (lower case, as ``make_toy_data`` and the visualizer's
# ``dataset_name`` spell it) -> its METAINFO
DATASET_METAINFO = dict(
    lip=LIP_METAINFO,
    atr=ATR_METAINFO,
    ppp=PPP_METAINFO,
    cihp=CIHP_METAINFO,
    mhp=MHP_METAINFO)
