"""Toy data, part 3: paint one person's parts from a skeleton and an outfit
(see :mod:`mmhumanparse.testing.toy_data`)."""
import numpy as np

from .toy_skeleton import Canvas


def _get(o: dict, key: str, side: str = ''):
    return o.get(f'{side}_{key}' if side else key, 0)


def paint_person(labels: np.ndarray, sk: dict, o: dict) -> None:
    """Paint one person's part labels into ``labels`` (in place).

    Args:
        labels (np.ndarray): (H, W) uint8 map to paint into.
        sk (dict): skeleton from :func:`sample_skeleton`.
        o (dict): outfit: role name -> class label (0 or missing = not drawn)
            plus a few shape switches (``*_kind``, ``sleeve``, ``hair_long``).
            Side roles are prefixed ``l_`` / ``r_``.
    """
    cv = Canvas(labels, sk)
    hp, sw = sk['h'], sk['sw']
    f = lambda x, y: np.array([x * hp, y * hp])  # noqa: E731
    sides = (('l', 1.0), ('r', -1.0))

    # things behind the body
    if o.get('backpack'):
        s = o.get('backpack_side', 1.0)
        cv.rect(f(s * 0.03, 0.33) + np.array([s * sw, 0]), 0.06 * hp,
                0.085 * hp, o['backpack'])
    if o.get('hair') and o.get('hair_long'):
        cv.poly([f(-0.075, 0.06), f(0.075, 0.06), f(0.085, 0.25),
                 f(-0.085, 0.25)], o['hair'])

    # legs, stockings, knee protector (under the clothes)
    for side, sign in sides:
        hip, knee, ank = sk[f'{side}_hip'], sk[f'{side}_knee'], sk[
            f'{side}_ank']
        cv.line(hip, knee, sk['thigh_w'], _get(o, 'thigh', side))
        cv.line(knee, ank, sk['shin_w'], _get(o, 'shin', side))
        cv.ellipse(ank + f(sign * 0.012, 0.028), 0.036 * hp, 0.024 * hp,
                   _get(o, 'foot', side))
        if o.get('leg_cover_kind') == 'stockings':
            cv.line(hip + f(0, 0.02), knee, sk['thigh_w'] - 1, o['leg_cover'])
            cv.line(knee, ank, sk['shin_w'], o['leg_cover'])
        if o.get('protector') and o.get('protector_side', 1.0) == sign:
            cv.ellipse(knee, 0.042 * hp, 0.045 * hp, o['protector'])

    def socks_and_shoes():  # over the hems of trousers / robes
        for side, sign in sides:
            knee, ank = sk[f'{side}_knee'], sk[f'{side}_ank']
            foot = ank + f(sign * 0.012, 0.028)
            if o.get('leg_cover_kind') == 'socks':
                cv.line(ank + (knee - ank) * 0.3, ank, sk['shin_w'] + 1,
                        o['leg_cover'])
            shoe = _get(o, 'shoe', side)
            kind = o.get('shoe_kind', 'shoe')
            if shoe and kind == 'boot':
                cv.line(ank + (knee - ank) * 0.4, ank, sk['shin_w'] + 2, shoe)
                cv.ellipse(foot, 0.042 * hp, 0.028 * hp, shoe)
            elif shoe and kind == 'heel':
                cv.poly([ank + f(-sign * 0.02, 0.0),
                         ank + f(sign * 0.05, 0.03),
                         ank + f(sign * 0.045, 0.05),
                         ank + f(-sign * 0.015, 0.05)], shoe)
            elif shoe and kind == 'sandal':
                cv.ellipse(foot + f(0, 0.012), 0.042 * hp, 0.015 * hp, shoe)
            elif shoe:
                cv.ellipse(foot, 0.042 * hp, 0.027 * hp, shoe)

    # neck (face label: skin between chin and collar)
    cv.line(sk['head'], sk['thorax'], 0.045 * hp, o.get('neck', 0))

    # lower-body clothes
    def pants(label, frac):
        if not label:
            return
        cv.poly([f(-0.1, 0.44), f(0.1, 0.44), sk['l_hip'] + f(0.04, 0.06),
                 sk['r_hip'] + f(-0.04, 0.06)], label)
        for side, _ in sides:
            hip, knee, ank = (sk[f'{side}_hip'], sk[f'{side}_knee'],
                              sk[f'{side}_ank'])
            leg = np.concatenate([np.linspace(hip, knee, 6),
                                  np.linspace(knee, ank, 6)[1:]])
            end = leg[int(round(frac * (len(leg) - 1)))]
            mid = knee if frac > 0.5 else end
            cv.line(hip, mid, sk['thigh_w'] + 3, label)
            if frac > 0.5:
                cv.line(knee, end, sk['shin_w'] + 3, label)

    def skirt(label, bottom, flare):
        if label:
            cv.poly([f(-0.095, 0.43), f(0.095, 0.43),
                     f(0.095 + flare, bottom), f(-0.095 - flare, bottom)],
                    label)

    bk = o.get('bottom_kind')
    b = o.get('bottom', 0)
    if bk == 'pants':
        pants(b, 1.0)
    elif bk == 'capri':
        pants(b, 0.75)
    elif bk == 'shorts':
        pants(b, 0.3)
    elif bk == 'skirt':
        skirt(b, o.get('skirt_len', 0.7), 0.08)

    # torso
    top = o.get('top', 0)
    torso = [f(-0.035, 0.155), sk['r_sho'] + f(-0.012, -0.008),
             sk['r_sho'] + f(0.02, 0.09), f(-0.085, 0.4),
             f(-0.1, o.get('torso_bottom', 0.52)),
             f(0.1, o.get('torso_bottom', 0.52)), f(0.085, 0.4),
             sk['l_sho'] + f(-0.02, 0.09), sk['l_sho'] + f(0.012, -0.008),
             f(0.035, 0.155)]
    cv.poly(torso, top)
    if o.get('bra'):
        cv.poly([sk['r_sho'] + f(0.02, 0.03), sk['l_sho'] + f(-0.02, 0.03),
                 f(0.08, 0.3), f(-0.08, 0.3)], o['bra'])
    if o.get('neck_skin'):
        cv.poly([f(-0.04, 0.16), f(0.04, 0.16), f(0, 0.27)], o['neck_skin'])
    full = o.get('full', 0)
    fk = o.get('full_kind')
    if full:
        if fk == 'coat':  # open coat: two panels, the top shows between
            for sign in (1.0, -1.0):
                s = 'l' if sign > 0 else 'r'
                cv.poly([f(sign * 0.03, 0.155), sk[f'{s}_sho'] +
                         f(sign * 0.012, -0.008), sk[f'{s}_sho'] +
                         f(-sign * 0.02, 0.09), f(sign * 0.11, 0.68),
                         f(sign * 0.028, 0.68)], full)
        else:
            cv.poly(torso, full)
            if fk == 'dress':
                skirt(full, 0.72, 0.09)
            elif fk == 'robe':
                skirt(full, 0.93, 0.1)
            elif fk == 'jumpsuit':
                pants(full, 1.0)
            elif fk == 'romper':
                pants(full, 0.3)
    socks_and_shoes()
    if o.get('tie'):
        cv.poly([f(-0.018, 0.17), f(0.018, 0.17), f(0.028, 0.34),
                 f(0, 0.38), f(-0.028, 0.34)], o['tie'])
    if o.get('belt'):
        cv.rect(f(0, 0.445), 0.1 * hp, 0.018 * hp, o['belt'])
    if o.get('pendant'):
        cv.ellipse(f(0, 0.28), 0.028 * hp, 0.028 * hp, o['pendant'])
    if o.get('shoulder_bag'):
        s = o.get('bag_side', 1.0)
        cv.line(sk['l_sho' if s < 0 else 'r_sho'], f(s * 0.12, 0.45),
                0.02 * hp, o['shoulder_bag'])
        cv.rect(f(s * 0.15, 0.5), 0.055 * hp, 0.05 * hp, o['shoulder_bag'])

    # arms, sleeves, hands, wrist accessories
    sleeve = o.get('sleeve', 0)
    sleeve_label = o.get('sleeve_label', top)
    for side, sign in sides:
        sho, elb, wri, hand = (sk[f'{side}_sho'], sk[f'{side}_elb'],
                               sk[f'{side}_wri'], sk[f'{side}_hand'])
        cv.line(sho, elb, sk['arm_w'], _get(o, 'uarm', side))
        cv.line(elb, wri, sk['arm_w'] * 0.9, _get(o, 'farm', side))
        if sleeve and sleeve_label:
            end = sho + (elb - sho) * 0.55 if sleeve == 1 else elb
            cv.line(sho, end, sk['arm_w'] + 2, sleeve_label)
            if sleeve == 2:
                cv.line(elb, wri - (wri - elb) * 0.1, sk['arm_w'] * 0.9 + 2,
                        sleeve_label)
        cv.ellipse(hand, 0.034 * hp, 0.034 * hp, _get(o, 'hand', side))
        if o.get('wrist') and o.get('wrist_side', 1.0) == sign:
            cv.line(wri - (wri - elb) * 0.12, wri + (wri - elb) * 0.02,
                    sk['arm_w'] + 2, o['wrist'])

    # things held in / near a hand
    for label, kind, sign in o.get('held', ()):
        s = 'l' if sign > 0 else 'r'
        hand, fdir = sk[f'{s}_hand'], sk[f'{s}_fore_dir']
        if kind == 'bottle':
            cv.rect(hand + f(0, 0.04), 0.018 * hp, 0.05 * hp, label)
        elif kind == 'bat':
            cv.line(hand, hand + 0.28 * hp * fdir, 0.03 * hp, label)
        elif kind == 'umbrella':
            top_pt = hand + f(sign * 0.06, -0.2)
            cv.line(hand, top_pt, 0.02 * hp, label)
            cv.ellipse(top_pt, 0.13 * hp, 0.06 * hp, label, 180, 360)
        elif kind == 'bag':
            cv.rect(hand + f(0, 0.075), 0.055 * hp, 0.065 * hp, label)
        elif kind == 'purse':
            cv.rect(hand + f(0, 0.03), 0.04 * hp, 0.028 * hp, label)
        elif kind == 'ball':
            cv.ellipse(hand + f(sign * 0.05, 0.02), 0.05 * hp, 0.05 * hp,
                       label)
        elif kind == 'case':
            cv.rect(np.array([sk[f'{s}_ank'][0] + sign * 0.12 * hp,
                              0.86 * hp]), 0.065 * hp, 0.085 * hp, label)

    # head
    head = sk['head']
    if o.get('hair'):
        cv.ellipse(head + f(0, -0.008), 0.07 * hp, 0.074 * hp, o['hair'])
    cv.ellipse(head + f(0, 0.01), 0.053 * hp, 0.064 * hp, o.get('face', 0))
    if o.get('scarf'):
        cv.line(f(-0.055, 0.175), f(0.055, 0.175), 0.05 * hp, o['scarf'])
        cv.line(f(0.03, 0.18), f(0.045, 0.31), 0.035 * hp, o['scarf'])
    hk = o.get('headtop_kind')
    ht = o.get('headtop', 0)
    if hk == 'cap':
        cv.ellipse(head + f(0, -0.025), 0.074 * hp, 0.06 * hp, ht, 180, 360)
        cv.rect(head + f(0.03, -0.028), 0.075 * hp, 0.012 * hp, ht)
    elif hk == 'helmet':
        cv.ellipse(head + f(0, 0.005), 0.082 * hp, 0.088 * hp, ht, 165, 375)
    elif hk == 'band':
        cv.rect(head + f(0, -0.035), 0.072 * hp, 0.02 * hp, ht)
    eyes = o.get('eyes', 0)
    if eyes and o.get('eyes_kind') == 'lenses':
        for sign in (1.0, -1.0):
            cv.ellipse(head + f(sign * 0.025, 0.0), 0.022 * hp, 0.017 * hp,
                       eyes)
    elif eyes:
        cv.rect(head + f(0, 0.0), 0.054 * hp, 0.017 * hp, eyes)
