"""Calibrated tables of the default token estimate (tools/fit_token_tables.py).

Costs are integers in 1/SCALE of an o200k_base token, already multiplied by the calibration
scales (1.0120; other scripts 1.0650). Do not edit by hand: rerun the fit.
"""

SCALE = 1000
#: newline after a word or digits, after punctuation, after nothing or whitespace
NEWLINE = (
    1012, 27, 4,
)
#: boundary cost per pair of adjacent ASCII characters, [60 * a + b]; classes: a-z (case
#: folded) 0-25, the 32 ASCII marks in string.punctuation order 26-57, space 58, other 59
PAIR = (
    803, 3, 2, 4, 545, 145, 9, 112, 79, 145, 10, 2, 2, 0, 160, 3,
    60, 3, 1, 8, 92, 15, 2, 20, 5, 78, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 359, 520, 380, 908,
    15, 748, 733, 655, 339, 209, 787, 76, 856, 562, 407, 877, 607, 31, 819, 742,
    141, 337, 856, 905, 2, 92, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 126, 530, 35, 956, 90, 526, 337, 5,
    475, 434, 2, 1, 256, 298, 42, 11, 607, 46, 374, 2, 156, 145, 787, 607,
    67, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 824, 189, 660, 29, 41, 48, 692, 723, 214, 799, 434, 712,
    487, 562, 118, 828, 434, 376, 145, 960, 653, 337, 644, 67, 145, 942, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    200, 248, 175, 4, 82, 70, 212, 723, 276, 819, 262, 40, 11, 1, 663, 456,
    521, 1, 1, 7, 881, 110, 25, 10, 5, 774, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 154, 202, 359, 276,
    157, 13, 434, 723, 121, 202, 434, 313, 723, 48, 5, 836, 607, 26, 624, 27,
    308, 607, 562, 337, 644, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 594, 819, 389, 828, 64, 828, 266, 220,
    287, 337, 434, 202, 460, 80, 345, 703, 337, 31, 243, 479, 271, 924, 723, 337,
    112, 118, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 272, 337, 607, 460, 7, 607, 202, 607, 387, 337, 607, 896,
    460, 337, 164, 202, 145, 241, 202, 92, 284, 202, 112, 337, 234, 202, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    61, 1, 1, 4, 6, 2, 10, 337, 878, 78, 22, 3, 6, 0, 22, 7,
    78, 7, 1, 1, 276, 17, 337, 7, 67, 7, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 429, 202, 607, 337,
    47, 723, 337, 607, 454, 337, 337, 202, 202, 337, 220, 337, 337, 202, 18, 607,
    78, 607, 607, 337, 202, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 586, 877, 836, 337, 269, 893, 67, 586,
    88, 607, 202, 713, 701, 472, 492, 644, 723, 434, 239, 145, 652, 607, 145, 828,
    145, 607, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 723, 819, 686, 223, 60, 856, 607, 607, 75, 562, 862, 7,
    787, 490, 89, 607, 607, 45, 69, 607, 302, 145, 607, 607, 11, 856, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    163, 129, 536, 54, 38, 787, 92, 434, 251, 607, 434, 241, 112, 434, 93, 226,
    337, 701, 242, 48, 305, 976, 607, 337, 44, 607, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 195, 916, 98, 13,
    95, 246, 2, 337, 286, 434, 7, 558, 912, 76, 56, 350, 337, 644, 260, 12,
    77, 217, 644, 607, 8, 112, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 620, 7, 432, 5, 241, 7, 23, 179,
    373, 276, 3, 22, 2, 1, 45, 5, 607, 1, 3, 2, 30, 18, 9, 112,
    202, 787, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 38, 723, 444, 593, 120, 748, 44, 29, 184, 337, 479, 98,
    607, 337, 143, 21, 575, 28, 84, 160, 90, 723, 202, 607, 243, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    202, 607, 337, 337, 607, 337, 607, 337, 337, 337, 723, 12, 607, 607, 337, 607,
    145, 337, 276, 607, 18, 337, 337, 607, 337, 723, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 289, 262, 64, 125,
    10, 924, 20, 562, 254, 877, 318, 337, 376, 151, 27, 399, 337, 137, 64, 46,
    570, 48, 969, 337, 6, 723, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 345, 787, 114, 805, 113, 472, 13, 26,
    495, 723, 26, 357, 160, 386, 146, 301, 102, 27, 27, 30, 169, 53, 530, 337,
    137, 202, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 434, 555, 170, 177, 176, 260, 895, 13, 135, 337, 145, 427,
    329, 562, 22, 801, 607, 20, 143, 148, 282, 434, 499, 29, 126, 145, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    145, 7, 227, 20, 318, 177, 22, 112, 241, 562, 60, 11, 10, 6, 241, 28,
    607, 4, 4, 9, 276, 92, 337, 60, 112, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 111, 202, 337, 562,
    12, 434, 112, 460, 25, 607, 434, 337, 55, 67, 132, 359, 337, 434, 105, 774,
    145, 202, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 23, 337, 607, 179, 56, 337, 607, 202,
    701, 337, 337, 92, 202, 132, 55, 434, 337, 120, 33, 607, 202, 1004, 11, 6,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 799, 787, 67, 137, 362, 723, 337, 337, 620, 607, 607, 337,
    207, 434, 787, 363, 337, 977, 607, 37, 954, 337, 337, 896, 337, 607, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    777, 893, 202, 8, 982, 337, 434, 723, 490, 607, 434, 723, 423, 301, 7, 325,
    787, 145, 95, 199, 828, 954, 723, 947, 202, 308, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 99, 337, 787, 607,
    24, 723, 337, 26, 64, 337, 479, 893, 804, 607, 266, 337, 607, 607, 905, 337,
    337, 337, 337, 337, 460, 562, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 607, 337, 337, 607, 337, 337, 607,
    337, 337, 723, 337, 337, 337, 337, 337, 337, 723, 607, 337, 337, 337, 337, 607,
    337, 607, 337, 202, 337, 607, 337, 607, 337, 202, 337, 337, 337, 337, 92, 337,
    202, 337, 337, 607, 92, 337, 337, 337, 112, 337, 337, 607, 607, 337, 337, 337,
    337, 723, 337, 337, 202, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 607, 337, 337, 337, 337, 337, 337, 145, 10,
    19, 106, 112, 202, 460, 337, 6, 121, 92, 1, 337, 47, 112, 0, 112, 936,
    723, 266, 337, 434, 787, 283, 18, 202, 51, 607, 60, 145, 15, 145, 337, 337,
    337, 607, 337, 337, 607, 337, 202, 607, 337, 337, 607, 337, 607, 337, 337, 337,
    337, 337, 723, 337, 607, 337, 337, 337, 337, 337, 434, 262, 3, 337, 723, 337,
    337, 337, 607, 337, 202, 337, 607, 337, 881, 607, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 607, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 202, 337, 145, 202, 337, 202, 337, 337, 202, 337, 337,
    337, 337, 337, 337, 337, 337, 723, 202, 434, 145, 337, 337, 337, 202, 723, 607,
    337, 337, 337, 337, 202, 337, 337, 337, 337, 337, 723, 607, 337, 337, 337, 337,
    337, 337, 337, 607, 337, 607, 337, 337, 337, 337, 337, 337, 337, 723, 337, 337,
    337, 337, 607, 337, 337, 337, 337, 337, 337, 337, 202, 337, 337, 607, 337, 337,
    787, 337, 202, 112, 337, 607, 202, 337, 202, 337, 337, 607, 337, 337, 202, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 1003, 337, 337, 607, 337, 337,
    607, 337, 337, 337, 337, 607, 337, 337, 337, 337, 337, 337, 337, 337, 607, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 112, 337, 337, 337, 337, 337, 337, 607,
    337, 337, 337, 60, 337, 337, 337, 337, 337, 337, 607, 337, 337, 337, 337, 337,
    202, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 607, 337, 607, 337, 337,
    202, 337, 607, 337, 337, 337, 337, 337, 337, 337, 337, 607, 337, 337, 337, 337,
    337, 202, 337, 337, 337, 337, 337, 337, 337, 337, 337, 460, 202, 337, 112, 337,
    157, 220, 10, 337, 202, 9, 78, 89, 24, 26, 337, 112, 202, 723, 607, 145,
    202, 396, 31, 607, 112, 877, 174, 607, 337, 337, 337, 337, 37, 67, 37, 67,
    53, 18, 78, 434, 92, 337, 145, 78, 12, 48, 42, 26, 337, 67, 17, 35,
    145, 92, 337, 37, 337, 202, 112, 70, 202, 337, 112, 337, 7, 48, 2, 160,
    337, 337, 67, 337, 202, 337, 337, 202, 434, 607, 753, 337, 35, 723, 337, 202,
    67, 112, 44, 202, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    202, 337, 337, 337, 337, 112, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 160, 337, 337, 337, 202, 396, 35, 27, 31, 276, 3, 112, 4,
    337, 2, 112, 337, 337, 753, 434, 607, 92, 607, 218, 337, 337, 321, 723, 145,
    179, 337, 337, 337, 337, 337, 337, 202, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 202, 337, 202, 337, 337, 337, 337, 337, 337, 202, 337, 337, 337, 337, 445,
    337, 337, 607, 337, 607, 607, 562, 18, 337, 40, 787, 373, 99, 893, 607, 337,
    202, 337, 916, 337, 942, 607, 337, 337, 723, 723, 337, 607, 723, 337, 337, 337,
    337, 18, 337, 1005, 337, 337, 337, 337, 337, 607, 145, 337, 337, 92, 337, 202,
    337, 337, 337, 337, 607, 337, 337, 337, 337, 337, 337, 389, 202, 337, 337, 337,
    234, 723, 530, 337, 101, 337, 933, 337, 337, 53, 337, 607, 78, 337, 337, 337,
    337, 607, 787, 337, 723, 337, 607, 607, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 202,
    337, 337, 337, 337, 337, 337, 337, 364, 337, 337, 337, 337, 145, 337, 276, 337,
    337, 337, 337, 67, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 607, 337, 337, 337, 71, 27, 131, 7, 417, 160, 48, 202,
    173, 112, 145, 48, 112, 417, 60, 62, 202, 88, 27, 25, 723, 202, 202, 597,
    202, 515, 828, 112, 337, 434, 145, 434, 417, 607, 787, 337, 990, 337, 21, 337,
    337, 337, 607, 337, 434, 9, 607, 607, 202, 337, 723, 337, 644, 723, 234, 607,
    337, 723, 337, 337, 24, 67, 1, 13, 26, 48, 7, 202, 131, 145, 92, 78,
    48, 40, 8, 2, 337, 26, 2, 18, 132, 337, 337, 78, 92, 337, 337, 132,
    337, 337, 337, 337, 364, 337, 310, 530, 607, 78, 607, 13, 41, 434, 337, 31,
    337, 337, 337, 337, 337, 337, 337, 337, 11, 202, 337, 337, 337, 337, 337, 337,
    392, 145, 6, 20, 35, 160, 222, 234, 234, 607, 112, 35, 53, 53, 112, 98,
    337, 48, 16, 118, 748, 683, 78, 202, 337, 828, 337, 460, 202, 92, 337, 337,
    660, 337, 738, 103, 145, 337, 337, 9, 2, 337, 337, 202, 607, 35, 337, 337,
    337, 337, 607, 644, 2, 723, 202, 337, 337, 337, 337, 337, 1008, 202, 607, 145,
    742, 337, 112, 337, 337, 112, 112, 337, 337, 337, 202, 202, 337, 337, 337, 337,
    337, 337, 337, 202, 337, 337, 337, 15, 112, 607, 78, 337, 78, 337, 337, 337,
    337, 202, 337, 202, 2, 2, 337, 434, 25, 337, 337, 337, 92, 337, 644, 607,
    337, 337, 846, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 607, 337, 337,
    337, 202, 337, 607, 202, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 145, 337, 337, 337, 337, 202, 337, 337, 337, 202, 337,
    337, 337, 202, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 607, 607, 607,
    434, 337, 337, 337, 337, 337, 337, 787, 337, 337, 723, 607, 202, 337, 607, 337,
    337, 607, 337, 337, 337, 202, 607, 337, 202, 337, 337, 202, 607, 337, 145, 723,
    337, 337, 607, 337, 723, 337, 337, 337, 607, 337, 337, 337, 7, 337, 337, 155,
    337, 337, 337, 337, 337, 337, 337, 607, 568, 337, 337, 337, 607, 607, 337, 337,
    607, 337, 434, 545, 723, 202, 723, 337, 607, 337, 202, 723, 337, 202, 607, 145,
    337, 787, 179, 337, 337, 337, 337, 202, 337, 337, 145, 40, 202, 112, 145, 202,
    26, 202, 337, 337, 607, 337, 145, 337, 53, 337, 337, 337, 28, 132, 337, 202,
    434, 78, 723, 337, 112, 337, 67, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 828, 337, 607, 723, 337, 337, 337, 337, 607, 337, 607, 828, 607, 71,
    337, 607, 337, 337, 723, 337, 607, 47, 337, 202, 337, 202, 112, 337, 337, 337,
    337, 10, 202, 35, 337, 145, 607, 337, 145, 8, 337, 337, 472, 337, 951, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 607,
    337, 337, 337, 337, 607, 337, 337, 337, 337, 337, 337, 337, 828, 337, 607, 337,
    337, 337, 337, 202, 337, 202, 337, 337, 337, 112, 644, 337, 337, 337, 337, 337,
    337, 145, 337, 337, 787, 337, 337, 607, 337, 607, 337, 337, 337, 337, 607, 337,
    337, 607, 337, 337, 607, 607, 723, 202, 337, 337, 607, 337, 337, 337, 337, 337,
    337, 337, 337, 787, 337, 337, 337, 337, 337, 337, 607, 337, 337, 723, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 607,
    337, 337, 337, 53, 337, 337, 607, 337, 202, 607, 337, 607, 607, 337, 337, 337,
    607, 787, 145, 337, 389, 337, 924, 337, 48, 202, 434, 202, 202, 607, 337, 337,
    337, 337, 44, 472, 337, 337, 337, 145, 337, 337, 828, 175, 998, 337, 78, 337,
    48, 202, 337, 337, 202, 337, 48, 337, 337, 285, 337, 951, 787, 337, 337, 1000,
    234, 787, 21, 787, 337, 26, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 53, 337, 337, 337, 337, 337, 337,
    337, 112, 337, 337, 337, 337, 337, 202, 337, 337, 337, 337, 626, 562, 787, 337,
    337, 337, 723, 607, 337, 607, 787, 337, 337, 337, 337, 337, 787, 18, 787, 337,
    337, 337, 607, 337, 607, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 536, 337, 337, 337, 337, 337, 27, 195, 92, 234, 16, 607, 173,
    337, 160, 145, 337, 337, 337, 337, 337, 35, 202, 202, 337, 337, 967, 112, 337,
    202, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 607, 607, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 607, 607, 607, 607, 607,
    607, 607, 337, 337, 607, 145, 202, 337, 337, 337, 434, 337, 337, 337, 337, 337,
    337, 607, 337, 607, 337, 112, 337, 173, 337, 337, 202, 607, 337, 337, 337, 337,
    105, 7, 18, 5, 244, 16, 78, 26, 9, 145, 35, 115, 51, 10, 47, 10,
    337, 15, 4, 4, 325, 48, 78, 112, 337, 337, 607, 926, 337, 337, 337, 337,
    723, 156, 202, 562, 337, 112, 112, 27, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 607, 202, 38, 877, 337, 337, 893, 337, 337, 337, 607, 337, 723, 607,
    723, 337, 337, 607, 607, 337, 337, 607, 337, 337, 337, 787, 337, 607, 202, 337,
    607, 723, 337, 337, 337, 337, 607, 337, 607, 607, 607, 337, 742, 337, 337, 337,
    723, 13, 893, 212, 787, 145, 202, 337, 607, 607, 337, 723, 202, 337, 27, 607,
    655, 32, 145, 607, 337, 337, 337, 337, 337, 337, 607, 607, 723, 337, 337, 337,
    337, 607, 337, 337, 337, 607, 337, 337, 337, 607, 145, 337, 337, 337, 337, 337,
    337, 337, 202, 71, 337, 337, 337, 607, 92, 607, 337, 337, 337, 337, 202, 337,
    337, 774, 337, 607, 607, 337, 337, 337, 337, 607, 337, 337, 828, 337, 337, 337,
    247, 337, 337, 337, 337, 607, 337, 337, 337, 337, 607, 607, 607, 337, 337, 607,
    337, 337, 607, 337, 337, 607, 337, 337, 337, 337, 337, 337, 337, 337, 337, 434,
    337, 723, 337, 337, 562, 337, 337, 337, 337, 337, 924, 337, 337, 337, 337, 337,
    202, 337, 337, 337, 723, 145, 337, 607, 337, 337, 337, 202, 337, 337, 337, 337,
    337, 607, 337, 337, 723, 337, 337, 337, 337, 607, 723, 337, 337, 607, 337, 607,
    337, 337, 337, 607, 337, 337, 337, 337, 337, 337, 337, 55, 337, 337, 202, 337,
    384, 701, 44, 337, 337, 1, 202, 607, 112, 202, 67, 337, 607, 337, 337, 337,
    337, 67, 202, 607, 607, 145, 78, 434, 202, 337, 337, 337, 337, 337, 337, 937,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 607, 337, 607, 337, 337, 607,
    337, 337, 337, 337, 337, 607, 337, 607, 337, 337, 337, 607, 337, 607, 337, 337,
    607, 337, 337, 337, 337, 337, 607, 337, 202, 337, 723, 337, 337, 337, 607, 337,
    337, 723, 337, 337, 337, 337, 337, 337, 0, 1, 1, 1, 4, 1, 3, 6,
    1, 18, 9, 1, 2, 2, 1, 2, 53, 4, 1, 0, 2, 8, 6, 10,
    7, 17, 29, 0, 3, 19, 8, 33, 3, 1, 92, 1, 7, 145, 1, 2,
    5, 24, 202, 2, 1, 7, 112, 29, 1, 16, 15, 67, 3, 2, 1, 3,
    1, 337, 337, 337, 337, 337, 337, 337, 337, 337, 202, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 53, 145, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
    337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337, 337,
)
#: ASCII words outside the common-word list: [case * 24 + length bucket * 3 + prefix]
BASE_WORD = (
    1012, 1012, 975, 850, 995, 917, 947, 938, 940, 1048, 991, 1452, 1246, 751, 1427, 1,
    1391, 834, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 905, 897, 1072, 977, 888,
    1071, 1304, 1141, 1723, 1191, 1020, 1532, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012,
)
#: ASCII words in the common-word list, same index
BASE_VOCAB = (
    1012, 1012, 1012, 1012, 1012, 1012, 1014, 1010, 1020, 1035, 1015, 1142, 1143, 1012, 1467, 1012,
    1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1021, 1024,
    1015, 1019, 1032, 1663, 1068, 1078, 1880, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012,
)
#: all-caps ASCII words: [prefix * 17 + min(length, 16)]
UPPER = (
    1012, 1012, 1037, 1666, 1938, 2265, 1715, 1834, 2361, 2503, 2024, 2747, 2024, 5566, 1012, 1012,
    1012, 1012, 1012, 1042, 1296, 1225, 1711, 1771, 1912, 2084, 1720, 2361, 2631, 1012, 1012, 5060,
    1012, 1012, 1012, 1392, 1606, 1870, 1912, 1706, 2277, 2203, 2904, 3416, 2910, 2530, 3470, 5060,
    3036, 4048, 1012,
)
#: ASCII punctuation runs by length bucket; other punctuation runs by length bucket
BASE_PUNCT = (
    1012, 1005, 1000, 1267, 1188, 1384, 1142, 1185,
)
OTHER_PUNCT = (
    1020, 1141, 1879, 5946, 1012, 1012, 1012, 1012,
)
#: digit groups by length (1-3)
DIGIT = (
    1, 1012, 1012, 1012,
)
#: whitespace runs: [0 spaces only / 8 other whitespace + length bucket]
SPACE = (
    1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012, 1012,
)
#: other scripts: a prefix, a rate per character and a cost per change of script, by script
#: (ASCII, hiragana, katakana, Han, Hangul, other below U+3400, rare)
INTL_PREFIX = 723
INTL_RATE = (
    235, 609, 589, 759, 701, 1168, 2143,
)
INTL_CHANGE = (
    233, 330, 356, 177, 0, 103, 169,
)
#: common words: lowercase ASCII single tokens of o200k_base ranked below 50,000
VOCAB_MAX = 16
VOCAB = """
aaaa aamma aanb aand aandacht aang aange aani aank aans aanse aantal aanv aanwe aard aaron aats
abad abaixo abal abama aban abandon abandoned abantu abar abase abases abat abei abel abela abele
abeled aben aber abet abetes abeth abil abile abili abilidad abilidade abilir abilities ability
abis abit able abled ables abling ablish ablished ablo ably abol abolic abor abord abort abortion
about above abric abril abrir abroad absence absol absolut absolute absolutely absor absorb
abstract abul abulary abund abuse abwe acab academ academic academy acak acao acceler accent accept
acceptable acceptance accepted accepting accepts acceso access accessed accessibility accessible
accessor accessories acci accident accidents acciones accommod accommodate accommodation accomp
accompan accompanied accompany accompanying accompl accomplish accomplished accord accordance
according accordingly account accounting accounts accred accredited accum accur accuracy accurate
accurately accus accused acebook aced acement acent acept acer aces acess acesso acest aceut
aceutical acha achadh achd ache ached achel achelor achen acher achers aches achi achie achieve
achieved achievement achievements achieving achine aching achment acho achs achsen acht achta achte
achten achter achuset achusetts acia acial acias acid acids acies acija acije acin acing acio acion
acionais acional aciones acions acious acity acji ackage ackbar acked acker acket ackets acking
acknow acknowled acknowledge acks ackson acle acles acomp acompanh acon aconte acord acordo acqu
acquire acquired acquisition acredit acres across acter acters actic actice acting action actions
activ activate activated activation active actively actividad actividades activities activity actor
actors actory actress acts actu actual actually acuerdo acular acute adal adalah adam adamente
adams adan adap adapt adapted adapter adar adas adata adax aday adays adda added addedge adden
addict addiction adding addition additional additionally addle addr address addressed addresses
addressing adds addy adecu aded adel adelph adelphia adem aden adequ adequate ader adera adero
aders ades adesh adher adhes adian adians adin ading adio adip adir adius adjacent adjust
adjustable adjusted adjustment adjustments admin administer administr administration administrative
administrator admission admissions admit admitted adobe adolesc adolescent adoop adop adopt adopted
adoption ador adora adorable adoras adores ados adow adows adquir adres adrid aduate adult adults
adura advance advanced advances advant advantage advantages advent adventure adventures advers
adverse advert advertis advertising advice advis advise advised advisor advoc advocate aest
aesthetic afect affairs affe affect affected affecting affects affen affili affiliate affiliated
affiliates affirm affold afford affordable afgelopen afghan afghanistan afil afin afirm afka afraid
africa african afrika after afternoon afterwards again against agal agan agar agas aged agem
agement agen agencies agency agenda agens agent agents ager agers ages agger aggio aggreg aggregate
aggress aggressive agin agination agine aging agle agma agment agna agne agner agog agon agonal
agora agosto agra agrade agram agraph agre agree agreed agreement agreements agreg agric
agricultural agriculture agua ague agues agus ahan ahana ahay ahead ahkan ahlen ahoma ahoo ahora
ahren ahrt aide aider aient aign ailability ailable ailand ailed ailing aille ailleurs ails ailure
aily aimed aims aina ainan ainda aine ained ainen ainer ainers aines aining ainless ainn ains ainsi
aint ainte ainter ainty aircraft aire aired aires airline airlines airo airport airro airs airson
aised aises aison aisse aithe aits ajan ajar ajas ajax ajes ajuda ajudar ajust akam akan akar akas
akat aked aken aker akers akes akespe akespeare akhulu akin aking akit akka akkelijk akse aksi akte
akter aktion aktiv aktu akukan alabama alah alakk alam alan alance aland alar alarm alary alaska
alber albert album albums alcanz alcohol alde aldo aled aleg alen alendar aler alert alerts ales
alet alex alexander aleza algo algorithm algorithms algu alguien algum alguma algumas algun alguna
algunas algunos alguns alia alian alias alice alien align aligned alignment alik alike aliment
alimentos alin aling alis ality alive aliy aliya alka alkan alla allah allas allback alle alled
alleen alleg alleged allel allem allemaal allen allenge aller allerdings allerg alleries allery
alles allet alli alliance alling allit allo alloc allocate allocated allocation allow allowed
alloween allowing allows alls allt ally alma almac almart almost alone along alongside alors alpha
alphabet already alsa alse also alta alten alter altern alternate alternative alternatively
alternatives alth although alties altijd alto altung altura alue alugu alum aluminum alumn alunos
always alyse amaan amag amage amak amal aman amar amas amat amateur amaz amazing amazon amba ambar
ambda amber ambi ambient ambiente ambiri amble ambo ambos amed amel amen amend amenities ament
amental amente amento amentos aments amer amera america american americans amerika ames amespace
amet amework amic amid amient amiento amientos amigo amigos amik amil amilton amily amin amina
amination amine aming amis amise amit amma ammad ammar ammed ammen amment amon among amongst amor
amos amount amounts amous ampa ampl ample amples ampli ampoo amps amsterdam amsung amus amut anager
anak anal analog analy analys analyse analyses analysis analyst analysts analyt analytics analyze
analyzed anan anas anca ance anced ancel ancell ancellation ancement ancer ancers ances anch anche
anchor anci ancia ancial ancias ancient ancies ancing anco ancouver ancy anda andaag andal ande
anded andel anden ander andere anderen anders anderson andi andid andidate andidates anding andise
andle andler ando andom andon andra andre andrew andro android androidx ands andy anean anel anele
aneous aneously anes anga angan ange angeb anged angel angela angeles angen anger angers anges angg
anghai angi anging angka angkan angle angles ango angry angs angu anguage anguages angular anha
ania anic anie anies anii anik anim animal animals animate animated animation animator anime anish
anja anje anjeun anka ankan anke ankelijk anken anking anks anmar anna annan anne anned anneer
annel annels annen anner anners annes anng anni anning anniversary anno annon annot annotation
annotations announ announce announced announcement annoy annoying annte annual annually anny annya
anon anonymous anos another ansa ansas anse ansi ansion ansk anske anso anst answer answered
answers anta antage antages antal antar ante anted anten anter anterior antes anth anthony anti
antiago antib antibi antic anticip anticipated antidad antie antioxid antity antly anto anton
antonio ants antu antwoord antwort anuary anunc anunci anut anvas anxiety anya anyak anyang anybody
anych anye anymore anyone anything anytime anyway anywhere anza anze anzi apache apan apar apare
apart apartment apartments apas apat aped apenas aper apers apert apes apeut apia aping apis aplic
aplik apoio apolis apolog apon apons apor apore aport apos apost apoyo appa appar appare apparent
apparently appart appartement appe appeal appealing appear appearance appeared appearing appears
apped appel appen append apper appers appet appetite apping appings apple appli appliances applic
applicable applicant applicants application applications applied applies apply applying appoint
appointed appointment appointments appr appreci appreciate appreciated appreciation appro approach
approaches appropr appropriate approval approve approved approx approximately apps apput appy
aprend aprender apresent april apro aprove aproxim apse apsed apter aptive aptop apture aque aquell
aquest aqui araan arab arabia arak aram aran arant arante arat arbe arbeit arbeits arbitr arch
arched architect architecture archive archives archivo archy arda ardan arde arded arden ardi
arding ardless ardo ards area areas ared arehouse arem aremos aren arena areness ares arest aret
arette arettes arga argar argb argc arge argent argentina argest arget argin argo args argue argued
argument arguments argv aria arial ariamente arian arias ariat arie aries arily arin aring ario
arios aris arise arising arity arium arius arizona arka arkan arker arks arla arlier arlo arlos
arly arma armed arming arms army arna arness arning arnings arnos arom aron around arqu arra arrang
arrange arranged arrangement arrangements arrant arranty array arrays arren arrest arrested arring
arriv arrival arrive arrived arrives arroll arrow arry arsa arsch arse arsi arta arte arten arter
arters arth arthur artic article articles artificial artigo artik artikel artist artistic artists
artment arto arts artut artwork arty asal asan asant ascade ascular ased aseg asegur asen aser ases
asha ashboard ashed ashes ashi ashing ashion asia asian asic aside asil asile asin asing asion asis
asist asje asjon aska asked asket asking asks asma asoci ason asonic asons aspect aspectos aspects
aspir assa assador assass assault asse assed assembly assen asser assert asses assess assessed
assessment asset assets assez assi assign assigned assignment assignments assim assing assion assis
assist assistance assistant assisted assists asso associ associate associated association
associations assort assum assume assumed assuming assurance assure assured assword assy asta aste
asted asten aster astern asters asterxml astes asti astic asticsearch asting asto astr astro asts
asty asure asures asut async asyon atab atabase atable ataka atal atalog atan atar atas ataset atau
atch atched atcher atches atching ated ateful ateg ategor ategori ategoria ategorie ategories
ategory ategy atel ately atem atement aten atend ater ateral aterial atern aternion aters ates
ateur ateurs atever ateway atform atge atha athan ather atherine athers athi athletes athletic
athon athy atia atial atic atically atie atief atient aties atieve atif atik atile atility atin
ating atings atinum atio ation ational ationale ationen ations ationship atique atiques atis atisf
ativ ativa ativas ative atively atives atividades ativo ativos atlanta atlantic atmos atmosphere
atoes atoire atom atomic aton ator atore atori atoria atorio ators atory atos atra atrav atre atri
atric atrice atrix atro atsa atsch atsi atta attach attached attachment attack attacked attacks
attain attan atte atted attempt attempted attempting attempts atten attend attendance attended
attending attent attention atter attern attery atti attitude attle atto attorney attorneys attr
attract attracted attraction attractions attractive attribute attributes attrs atual atud atum atur
atura atural aturas aturday ature atures aturing atus atuur atype auch aucoup auction aucun audi
audience audiences audio audit auen auer aufen auff auge augen augh aught aughter aughters augment
august aujourd ault aument aumentar aumento aunch aunque aupt aura aurait aurant aurants ause ausge
auss aussi aust austin austr australia australian autant auth authent authentic authenticated
authentication author authorities authority authorization authorized authors auto autom automated
automatic automatically automation automatis automobile automotive autonom autor autoridades
autoriz autour autowired autre autres avad availability available avais avait aval avam avan avant
avar avas avascript avat avatar avec aved avel aveled aven avent avenue aver average avers aves
avez avia avid avier avig avigate avigation avigator avil aving avior aviour avis avit avity avlj
avoid avoiding avoir avons avoq avor avorite avorites avour avril await awan award awarded awards
aware awareness away awesome awful axes axios axis ayaa ayan ayant ayed ayer ayers aying ayload
aylor ayment ayon ayout aysia ayud ayuda ayudar azar azer azine azio azione azioni aziun azon azure
azzjoni baar babies baby bach bachelor back backed backend background backing backs backup backyard
bacter bacteria badan badge badly bagai bage bagi bags bahwa baik bail bain bajo bakal baker baking
balance balanced balcon bald ball balls balt baltimore banc banco band banda bands bang bank
banking banks bann banned banner banyak bapt bara barbara barcelona bard bardzo bare barely baren
barg barn barr barrier barriers bars bart baru basa base baseball based basement bases bash basic
basically basics basis basket basketball bass bast bastante bata batch bate bater bath bathroom
bathrooms batt batter batteries battery battle bayer beach beaches beam bean beans bear bearer
bearing bearings beat beau beaucoup beaut beautiful beautifully beauty beber beberapa became
because beck become becomes becoming bedeut bedo bedrij bedrijf bedrijven bedroom bedrooms beds
beef beeld been beer beet beetje befind before began begin beginnen beginning begins begr begun
behalf behand behavi behavior behaviors behaviour behind beho beide beiden beijing beim being
beings beisp beispiel beit beiter beitr bekannt bekend bekom bekommen belang belangrijk bele belg
belie belieb belief beliefs believe believed believes bell belle belly belong belongs beloved below
belt bench benchmark bend bene beneath benef benefici beneficial benefit benefits beng bent benz
bepa beper bere bereich bereits beren berg bergen bericht berk berlin berm bern bero berr berries
berry bers bert besar besch bescherm beschik beschikbaar beside besides besl beso besoin besoins
besonders besser best bestaat beste besteht besten besuch beta betek betekent beter beth betr betre
bets better betting between bewe beyond bezoek bhfuil bian bias bible bibli bidden biden bids bied
bieden biedt bien bieten bietet bigger biggest bijna bijvoorbeeld bike bikes bila bilan bild bilder
bildung bile bilen bill billing billion bills bilo binary bind binding bine bing binnen biolog
biological biology biom bird birds birth birthday bisa bist bitcoin bite biti bitmap bitr bits
bitte bitter black blackjack blade blame blanc bland blank blast bleibt blem blend bless blessed
blev blic blick blij blijft blijven blind bling blir blob block blockchain blocked blocking blocks
blog blogger blogging blogs blong blood bloom blow blue blueprint bluetooth blur board boarding
boards boasts boat boats bodies body boek boiler bois bola bolas bold bole bolsa bomb bona bond
bonds bone bones bonjour bonne bons bonus bonuses book booked booking bookmark books bool boolean
boom boost boot boots bootstrap bord border borders bored borg boring born boro borrow bors boss
boston both bother bott bottle bottles bottom bought bound boundaries boundary bounds bour bourne
bours bout boutique bouw boven bowl boxes boyfriend boys brace brad brain brake branch branches
brand brands brasil brasile brazil bread breadcrumb break breakdown breakfast breaking breaks
breast breat breath breathing breed brengen brian brick brid bride bridge brief bright brilliant
bring bringen bringing brings bris brit britain british broad broadcast broke broken broker bron
brook brooklyn brother brothers brought brown brows browse browser browsers browsing bruce brug
bruk brush brut brutal bubble buch buck bucket bude budget buen buena bueno buff buffer buffered
bugs buhok build builder building buildings builds built buiten bulk bull bullet bump bums bunch
bund bundes bundle bung burden bureau burg burgh burn burned burning burst bury busc busca buscar
bush business businesses bust busy butt butter button buttons buyer buyers buying buzz byte bytes
cabe cabeza cabin cabinet cabinets cable cabo cache cached cada cade cadre cael cake calc calcium
calcul calculate calculated calculation calculations calculator cale calend calendar calidad
california call callback calle called caller calling calls calm calor calories camb cambiar cambio
cambridge came camer camera cameras camino camp campaign campaigns campe camping campo camps campus
canada canadian canal cancel cancell cancellation cancelled cancer cand candid candidate candidates
candy cann cannabis cannot canon cans cant cantidad canvas capabilities capability capable capac
capacidad capacity capaz cape capit capital caps capt captain caption capture captured cara caract
caracter carb carbon card cardi cards care career careers careful carefully carg carga cargo
caribbean caring carl carlos carm carn carne carol carolina carp carpet carr carre carrera carried
carrier carriers carries carro carry carrying cars cart carta carte carter casa case cases cash
casi casino casinos caso casos cass cast casting castle casual catal catalog catch categor
categoria categories category cater cath catholic cats caught caus causa cause caused causes
causing caut cave ccess ccion cciones cean cedes cedure ceed ceeds ceil ceiling cela cele celebr
celebrate celebrated celebrating celebration celebrity cell celle cellent cells cellular celona
celui cement cements cendo cent center centers centr central centre centres centro cents centuries
century cepc cept ception ceptions ceptor ceramic cerc cerca cere ceremony cerpt cerr cers cert
certain certaines certainly certains certe certific certificate certification certified certo cery
cess cession cesso cette ceux cewa cgfloat cgrect chac chaft chain chains chair chairman chairs
chak chall challeng challenge challenges challenging cham chamb chamber chambre champ champion
champions championship chan chance chances chang change changed changer changes changing channel
channels chant chantability chaos chap chapter chapters chaque char character characteristic
characteristics characterized characters charg charge charged charger charges charging charity
charl charles charlie charlotte charm charming chars charset chart charts chas chat chauff cheap
cheaper cheapest check checkbox checked checker checking checkout checks ched chedule cheduled
cheduler cheer cheese chef cheg chegar cheid cheiden chein chel chell chelsea chem chema cheme
chemical chemicals chemin chemistry chen cher ches chest chester chestra chet chez chic chicago
chicken chief chien child childhood children chile chim chin china chinese ching chip chips chito
chnitt chocolate choice choices chois choisir choix chol chool choose chooser choosing chor chos
chose chosen choses chris christ christian christians christmas christopher chrom chrome chron
chronic chsel chte chten chter chts chun chunk church churches chuy cialis cias cida cidade cido
cidos cient cierto cies cikin cimento cimiento cinco cine cinema cing cinn cion ciones cios cipe
circ circa circle circles circuit circul circular circulation circum circumstances cision cited
cities citiz citizen citizens city ciudad cium civil cken cker cket cknow claim claimed claimer
claiming claims clair clam clang clar claration clare clarity clark claro clas clase class classe
classes classic classical classification classified classroom clause clean cleaned cleaner cleaning
cleanup clear cleared clearly cles cleveland clever clic click clicked clicking clicks client
cliente clientes clients clim climate climb climbing clin clinic clinical clinton clip clips clipse
clock clone clos close closed closely closer closest closet closing closure cloth clothes clothing
cloud clouds club clubs clud clude cluded cludes cluding clus clusion clusive cluster coach coaches
coaching coal coast coat coating cocina cock cocktail coconut code codec codes coding coeff coff
coffee cogn cognitive cohol coin coinc coins coisa coisas cola colabor cold cole coleg coles coll
collabor collaboration collaborative collapse colle colleagues collect collected collecting
collection collections collective collectors colleg college colleges collision coln coloc colocar
colomb colombia colon color colorado colored colorful colors colour colours cols colspan columb
columbia column columns comb combat combin combination combinations combine combined combines
combining combo combust come comed comedy coment comenz comer comerc comercial comes comfort
comfortable comic comida coming comm command commands comme commence commend commended comment
commentary commented comments commerce commercial commission commit commitment committed committee
commod common commonly commons commun communic communicate communication communications communities
community como comp compact compagn compan companies companion company compar comparable comparator
compare compared comparing comparison compart compassion compat compatibility compatible compelling
compens compensation compet compete competing competit competition competitive competitors compile
compiled compiler compl complain complaint complaints comple complement complet completa
completamente complete completed completely completing completion completo complex complexity
compliance complic complicated complications compliment complimentary comply component components
comport compos compose composed composite composition compound compounds compr compra comprar
compre compreh comprehensive comprendre compress compression compris comprises comprom compt compte
comput compute computed computer computers computing comun comunic comunidad conc concat conce
conced concentr concentrate concentration concentrations concept concepts concer concern concerned
concerning concerns concert concl concluded conclus conclusion concrete concurrent cond condi
condiciones condit condition conditioning conditions condo conds condu conduct conducted conducting
cone conect conex conf confer conference confidence confident confidential config configur
configuration configure configured confirm confirmation confirmed conflic conflict conform conforme
confort confront confused confusing confusion cong congr congress conhe conhecimento conj
conjunction conjunto conn conna connect connected connecting connection connections connectivity
connector connects conoc conocer conom conqu cons consc conscious consciousness conse consecut
consecutive consegu conseguir consensus consent consequ consequences conserv conservation
conservative consid consider considerable considerably consideration considered considering consin
consist consiste consistency consistent consistently consisting consists console consolid consomm
const constant constante constantly constants constexpr constit constitu constitution constr
constraint constraints constru construct constructed construction constructor consult consultant
consultation consulting consum consume consumed consumer consumers consuming consumo consumption
cont conta contact contacted contacto contacts contain contained container containers containing
contains contamin contar contato conte contem contempl contempor contemporary conten contenido
content contents contest context contin continent continu continua continually continuar continue
continued continues continuing continuous continuously contr contra contract contractor contractors
contracts contrad contrast contrat contrato contre contrib contribut contribute contributed
contributing contribution contributions contributor contributors contro control controle controlled
controller controllers controlling controls controvers controversial conv conven convenience
convenient convent convention conventional conver convers conversation conversations conversion
convert converted converter convey convin convinced convoc cook cooked cookie cookies cooking cool
cooling cooper cooperation coord coordin coordinate coordinates coords cope copied copies copper
copy copyright coraz cord core cores corn corner corners coron corona coronavirus corp corpo corpor
corporate corporation corporations corps corr corre correct correction correctly correlation corres
correspond corresponding corrupt corruption cors cort cosa cosas cost costa costly costs costume
cottage cotton couch could couldn couleur coun council counsel count counter counting countless
countries country counts county coup couple coupled couples coupon coupons cour courage cours
course courses court courtesy courts cous cout cover coverage covered covering covers covery covid
cozy crack craft crafted crafts crash crate crazy cream crear crease creat create created creates
creating creation creative creativity creator creature creatures cred credentials credit credits
cree creek creen creens cref crement creo cres cret crete creto crets crew crian criar crib cribe
cribed crime crimes criminal crip cripcion cript cription criptions criptor criptors cripts crise
crisis crist cristo crit criter criteria criterion critic critical criticism crop cross crossed
crow crowd crown cruc crucial cruel cruise cruit crumb crush crusher crushers crushing cruz crypt
crypted cryption crypto cryptoc cryptocurrency cryst crystal ctic ction ctions ctor ctors ctrine
ctrl ctype cual cuales cualquier cuando cuanto cuatro cuba cube cuencia cuenta cuer cuerpo cuid
cuidado cuisine cuits cular culate culation culator cule cules culo culos cult cultiv cultur
cultura cultural culture cultures cumpl cups cure curios curious curity curl curr currency current
currently curriculum curs curso cursor cursos curve cush cuss cussion cust custom customer
customers customize customized cute cuts cutting cyber cycl cycle cycler cycles cycling cylinder
daar daarnaast daarom dabei dado dados daga dagen daha daher dahil daily dalam dale dalla dallas
damage damaged damages damer damit damn damp dana dance dancing dando dang danger dangerous daniel
dank dann dans dapat dara darauf dare darf dari dark darkness dash dashboard dass data database
databases datas dataset date dated daten dater dates datetime dating dato datos daughter daughters
dave david davis davon days dazu ddie dead deadline deal dealer dealers dealing deals dealt dean
dear death deaths debate debe deben deber debido debris debt debug debut decade decades dece
december decent decid decide decided decides deciding decimal decir decis decision decisions deck
decl declar declaration declarations declare declared decline declined decode decoder decor
decorated decoration decre decrease decreased dedic dedicated dedication deduct deel deemed deep
deeper deeply default defaults defe defeat defect defend defender defense defensive defin define
defined defines defining definit definitely definition definitions degli degree degrees deine deix
deixar deja dejar dela delay delayed delays dele deleg delegate delen delete deleted delhi deliber
delicate delicious delight delighted deliver delivered delivering delivers delivery dell della
delle dels delta demais demand demanda demande demanding demands demasi demo democr democracy
democratic democrats demon demonstr demonstrate demonstrated denen dengan denied denk denken denn
denne denomin dens dense density dent dental dentist dentro denver deny depart department
departments departure depend dependencies dependency dependent depending depends deploy deployment
depo depois deport depos deposit deposits depress depression depth depuis deput dere derecho
derechos deren deres deriv derive derived derm dern derni dernier derr ders desaf desap desarroll
desarrollo desc descend descob descon descr describ describe described describes describing
description descriptions descriptor descub desde dese desem desen desenvol desenvolvimento desert
deserve deserves design designated designed designer designers designing designs desire desired
desires desk desktop desp desper despite dess dessa desse dessert dest desta destac deste destin
destination destinations destino destr destroy destroyed destruct destruction detail detailed
details detal detect detected detection detector deter determ determin determination determine
determined determines determining detroit dette deur deus deuts deutsch deutschland deux devant
devast deve develop developed developer developers developing development developments devem dever
device devices devoted deze diabetes diagn diagnosed diagnosis diagnostic diagram dial dialog
dialogue diam diameter diamond dias dice dich dicho dici diciembre dick dict dictionary didn died
diego dien dienst dies diese diesel diesem diesen dieser dieses diet dieta dietary dieu difer
diferente diferentes diff differ difference differences different differently diffic difficile
difficult difficulties difficulty dific digest digit digital digitale digits dign dijo dile dilig
dimension dimensions dimin dina dine dinero ding dingen dinheiro dining dinner dins dios dipl
diplom dira dire direct directed direction directions directly director directors directory direito
direkt diret dirig dirname dirt dirty disabilities disability disable disabled disadv disag disappe
disappear disappoint disappointed disaster disc discharge discip discipl discipline disclaimer
disco discount discounts discover discovered discovery discr discre discretion discrimination
discuss discussed discusses discussing discussion discussions dise disease diseases disfr disfrutar
dish dishes disk dismiss disney disorder disorders disp dispar dispatch dispatcher display
displayed displaying displays dispon disponible disponibles dispos disposal dispose disposing
disposit disposition disput dispute disrupt diss disse dissertation disso dissol dist distance
distances distinct distinction distinctive distingu distint distr distrib distribut distribute
distributed distribution district districts disturb ditions dive divers diversas diverse diversity
diversos divert divid divide divided divine divis division divorce dizer django doch dock docs
doctor doctors doctype document documentary documentation documento documents doel doen does doesn
doet dogs doing dois doit doivent dokument doll dollar dollars dolor domain domaine domains
domestic domic domin dominant domingo donald donate donation donations donc donde done donn donna
donne donner dont dood door doors dorm dort dose doses dost doub double doubt dough doute dove down
download downloaded downloading downloads downtown dozen dozens draft drag dragon drain dram drama
dramatic drav draw drawable drawer drawing drawings drawn draws dream dreams drei dress dressed
dresses dressing drew drie dried drill drink drinking drinks drive driven driver drivers drives
driving droit drop dropdown dropped dropping drops drove drug drugs druk drum dtype dual duas dubai
ducation duce ducer duct duction ductor duda duidelijk duke dule duled dummy dump dumpster duplic
duplicate durability durable durant durante duration durch during dust dutch duties duty duur dword
dying dynam dynamic dynamics dysfunction dzie each eager earch earing earlier earliest early earn
earned earning earnings ears earth ease easier easiest easily east easter eastern easy eating eben
ebenfalls ebol ebook ebug ecause ecer echo echt echte echter econ econom economic economics economy
ecos ecosystem ected ection ector ectors ecur ecurity ecut ecute ecution ecycle edad edar edback
edded edding eddings edef eden eder ederal edere edes edeut edge edges edia edic edific edil edin
eding edir edish edit editable edited editing edition editor editorial editors edium ednes ednesday
edom edor edores educ educated education educational edward eens eenvoud eenvoudig eeper eerder
eerst eerste efect effect effective effectively effectiveness effects effekt effet effic efficiency
efficient efficiently effort efforts efic efined efore efter eftir egar egen eggs egin egree egypt
eher ehicle eigen eigenen eigenlijk eigentlich eight eile eind einde eine einem einen einer eines
einfach eing einige einmal eins einsatz einz either ejemplo ejerc eken eker eking ekki ekom ekomst
ekonom eksi ekte elabor elah eland elas elastic elay elcome elde elden elder elderly eldig elding
elebr elect elected election elections electr electric electrical electricity electro electron
electronic electronics eleg elegant elektr elektron elem element elemento elementos elements elen
elenium eler eleri eles eless elev elevated elevation elfare elho elif elig eligible elihood elijk
elijke elim elimin eliminate elin eline elines eling elingen elit elite elizabeth elkaar elke ella
ellas elle ellect elled ellen ellent eller ellers elles elli ellido ellig ellige elligence ellik
elling ellite ello ellos ellow ells ellschaft ellt ellung elly elor elry else elseif elsewhere elta
elte elve emaakt email emails emale eman emand emas emat embar embargo embarr embed embedded ember
embers embod embr embrace embre embro embu emde emed emen ement emente ements emer emerg emerged
emergency emerging emers emet emia emin emissions emit emitter emma emoc emon emony emor emory emos
emot emotion emotional emotions empez emph emphas emphasis empire empl emplate emplates emple emplo
employ employed employee employees employer employers employment empo emporary empower empr empre
empreg empres empresa empresas empt empty enable enabled enables enabling ename enance enant enario
enas ence enced encent encer ences ench enci encia encial encias encies encil encing encode encoded
encoder encoding encontr encontrar encore encounter encountered encour encourage encouraged
encourages encouraging encrypted encryption encuent encuentra ency enda endance endant endar endas
ende ended endees enden endent ender enders endes endet endez endi endif ending endl endless endo
endor endorse endpoint endra endre endregion ends endu endum ened enei enem enemies enemy enen ener
eneral enerate enerated eneration enerator energ energet energia energie energy eneric eners enes
eness enever enez enfants enfer enfermed enforcement enfr enga engage engaged engagement engaging
engan enge engen enger engers enges engi engine engineer engineering engineers engines england
english engo ength enhance enhanced enhancement enige ening enix enjoy enjoyable enjoyed enjoying
enjoys enkel enkele enne ennen ennes ennessee ennis enny enorm enorme enormous enos enough enqu
enquanto enrich enroll enrolled ensa ensch enschaft ense ensed enseign ensemble ensen enses ensi
ensing ension ensional ensions ensitive ensity ensive ensk enso ensor ensors ensuite ensure ensures
ensuring ensus enta ental entanto entar entas ente ented enten entend entender enter entered
entering enterprise entert entertain entertaining entertainment entes entfer enth enthusi enti
ential entials entic entication entin entina entine ention entire entirely entities entitled entity
entlich ently ento entonces entr entra entrada entral entrance entrar entre entreg entrega entren
entrepr entreprene entrepreneur entrepreneurs entreprise entreprises entrev entries entry ents
entsprech entwick enty enum enumer enumerable enumerate enumerator envi environ environment
environmental environments envol enye enza eper epic epis episode episodes epoch equal equality
equally equals equation equip equipe equipment equipo equipos equipped equity equivalent eral eran
erap eras erca ercise erde erdem erdere erdings erea erecht erect erectile ered erei erek eren eres
ereum erez erfahr erfol erfolgre erge ergeb ergen erhalten eria erial erialize eric erie eries
ering eringen erkl erman ermi ermine ermut erne ernel ernen erno eros erot erral erre erring erro
error errors erry ersch erse ersey erseys ership ersion ersist ersistence ersistent erson erst
erste ersten ersuis erta ertain ertas erte erten ertes erto ertos erts ertura erty ervaring
ervation erve erved erver erves ervice ervoor esar esas escal escape esch escol escort escorte
escorts escr escre escrib escription esehen esen eses esha esis eskorte eslint esome esor esos
esota espa espacio espec especial especially especialmente espect esper espera esqu essa essage
essages essas essay essays esse essed essen essence essent essential essentially esser essere esses
ession essional essions essment esso essoa essor esta estab estaba estabele estable establish
established establishing establishment estad estado estados estamos estar estas estat estate estava
este ested esten ester esterday esterol esti estic estilo estim estimate estimated estimates
estination estion estions estis esto estone estor estos estou estoy estr estrateg estre estro
estroy estruct ests estud estudi estudio esty etadata etail etailed etails etan etapa etas etch
etect eted eten eter eterm etern eters etes etheless ether ethical ething ethn ethnic ethod etic
etics etime eting etooth etric etrics etro etry etsa etse etta ette etten etter ettes etti ettu
etur eturn etwa etwas etween etwork etype etzt euch euro europ europa europe european euros eurs
eval evalu evaluate evaluated evaluation even evening event evento eventos events eventually ever
evere every everybody everyday everyone everything everywhere evid evidence evident evil evit
evitar evol evolution evolved ewel ewer ewise exact exactly exam examination examine examined
example examples exams exceed excel excelente excell excellence excellent except exception
exceptional exceptions excess excessive exchange exchanges excit excited excitement exciting
exclude exclus exclusive exclusively excuse exec execut execute executed execution executive
executives executor exem exempl exemple exemplo exerc exercise exercises exhaust exhib exhibit
exhibition exig exion exist existe existed existence existing exists exit expand expanded expanding
expans expansion expect expectations expected expecting expects exped expend expense expenses
expensive exper experi experien experience experienced experiences experiencia experiencing
experiment experimental experiments expert expertise experts expired expl explain explained
explaining explains explan explanation explic explicit explicitly explo explode exploration explore
explorer explores exploring explos export exports expos expose exposed exposure expr expres express
expressed expression expressions extend extended extends extens extension extensions extensive
extent exterior extern external extr extra extract extracted extraction extraord extraordinary
extras extrem extreme extremely eyes fabric fabulous facade face facebook faced faces fach facial
facil facile facilit facilitate facilities facility facing fact factor factors factory facts
faculty fade fahr fahren fail failed failing fails failure fair faire fairly fais fait faith fake
fakt falar fall fallen falling falls fals false falta fame famil familia familiar familie families
famille family famous fancy fang fans fant fantas fantast fantastic fantasy fara fare fark farm
farmers fasc fascinating fase fashion fass fast faster fastest fatal fate father fatigue fato fault
faut favor favorable favorite favorites favour favourite fazendo fazer fear fears feas feature
featured features featuring febru february fecha fect fection fections feder federal federation
feed feedback feeding feel feeling feelings feels fees feet feito feld feliz fell fellow felt
female females femin femme femmes fence fera ference ferences ferm fern fernando ferr ferred fert
fertil fest festiv festival fetch fewer ffect ffen ffer ffff ffic fiber fica ficar ficas fich fico
ficos ficou fiction field fields fier fifth fight fighting figura figure figured figures file filed
filename files filing filip fill fille filled filling film filme films filos filter filtered
filters final finale finally financ finance finances financial financing find finde finden finder
findet finding findings finds fine fines finest fing finger fingers finish finished finishes
finishing finity finn finns fins fire firebase fired firefox fireplace firm firma firms first
fiscal fish fishing fitness fits fitted fitting five fixed fixture flag flags flash flask flat
flate flav flavor flavors flaw fleet flere fles flesh flex flexibility flexible flick flight
flights flip flix float floating flood floor flooring floors flor floral florida flour flow flower
flowers flows fluid flush flutter flux flying foam foar focus focused focuses focusing fois fold
folder folg folio folk folks foll follow followed followers following follows fonction fond fone
fono font fonts fony food foods fool foon foot footage football footer fora foram force forced
forcement forces ford forder fore foreach forecast foreground foreign forest forever forex forg
forge forget forgot forgotten fork form forma formal formance formas format formation formato
formats formatted formatter forme formed former forming forms formul formula forne fors forsk fort
forte forth fortunately fortune forum forums forward foss fosse fost foster foto fotograf fotos
fought found foundation founded founder four fourth fout fprintf fract fraction frag frage fragen
fragment fragr frais fram frame frames framework fran franc france franch franchise francis
francisco frank franklin fras frastruct frastructure frau fraud frauen freak fred free freedom
freel freely frem french frente freq frequ frequency frequent frequently fres fresh freund frica
friday fridge fried friend friendly friends friendship from front frozen fruit fruits frustr ftar
ften fter ftime ftir ftware fuck fuel fuer fuera fueron fulfill full fully fulness func funcion
funciona funct function functional functionality functioning functions fund fundament fundamental
funded funding funds funeral fung funk funktion funnels funny furn furnished furniture furt further
furthermore fusion futhi futur future futuro fxml fyri fyrir gaan gaat gabe gaben gage gain gained
gaining gains galaxy gall gallery gambling game gameplay gamers games gaming gamma gang gant ganz
gara garage garant garantir garbage gard garden gardens garlic gary gast gastr gate gateway gather
gathered gathering gave gbog gbogbo gear geben gebeur gebied gebra gebru gebruik gebruiken gebruikt
gedaan geeft geeignet geen gegen gegevens gehen geht geld gele geleden gelegen gelijk gelopen
gemaakt gemacht gemakkelijk geme gemeente gemeins gement genau gency gend gende gender gene gener
general generally generate generated generates generating generation generations generator generic
generous genes genetic genieten geno genoeg genom genre genres gens gent gente gentle gently genu
genuine geom geometry georg george georgia gepl gera gerade geral gere gericht germ german germany
gerne gers gesch geschichte gest gestion gesture gets getter getting geval geven gevens geving gevo
gevoel gevol gewe geweest gewoon geworden gezien gezond ggreg ghan ghost giant gibi gibt gies gift
gifts gilt ging gior girl girlfriend girls github give given gives giving glad glam glas glass
glasses gleich gles glig glob global globally globe glory gloss gluc glucose gluten gment gnore
goal goals gobierno godine godt goed goede goes going gold golden golf gone gonna gonz good goods
google gordon gore gorgeous gost goto gott gotten gour gouver gouvernement gover govern governance
governing government governments governo governor gpio graag grab grace gracias grad grade graded
grades gradient gradu gradually graduate graduated graduates graduation graf grain gram grammar
gran grand grande grandes grands grant granted grants graph graphic graphics gras grasp grass grat
grateful gratis gratu gratuit grav grave gravity gray great greater greatest greatly gred gree
greece greek green greg gren gres gress grew grey grid griff grill grinding grip grocery groep
grond groot grootste gros gross grote ground grounds group groupe groups grow growing grown grows
growth grund grup grupo grupos guarante guarantee guaranteed guarantees guard guer guerra guerre
guess guest guests guid guidance guide guided guidelines guides guilty guitar gulf gulp gummies
gunakan guns gunta gust gusta gute guys gypt haal haar habe haben haber habil habit habits hablar
hace hacen hacer hacia haciendo hack hadde hadden hafa haft hair hait hakk halb half hall hallo
halloween halt halten hamb hamilton hammer hana hand handed handful handle handled handler handlers
handles handling hands handy hang hanging hann hanno hans hanya happ happen happened happening
happens happiness happy haps hard harder hardly hardware hares hari harm harmful harmon harmony
harr harris harry harsh hart harus harvard harvest hash hasil hasn hass hassle hast hasta hate
hattan hatte hatten haupt haus haust haut haute hauv hava have haven havia having hawai hawaii haya
hazard head headed header headers heading heads heal healing health healthcare healthier healthy
heap hear heard hearing heart hearts heast heat heated heating heav heaven heavily heavy hebben
hebt hecho heck heden hedral heeft heel heer heet heets hefur heid heids height heim heimer heiro
heit heiten heits hela held hele helemaal heless helfen helic hell hello helo help helped helpen
helper helpers helpful helping helps helt hemat hemos hemp hence hend henry heraus herbs here
hereby herein herit heritage herlands herm hern hero heroes herr herramient hers herself herv herz
hesitate heter hether hetic hets heure heures heute hidden hide hiding hier high higher highest
highlight highlighted highlights highly highway hike hiking hilfe hill hills himself hina hindi
hing hink hint hinter hire hired hiring hist histoire histor histori historia historic historical
history hits hitting hiyo hizo hjem hlen hler hmen hobby hoch hockey hoge hogy hoje hola hold
holder holders holding holds hole holes holiday holidays holl holland hollywood holm holy hombre
hombres home homeless homem homeowners homes homework homme hommes honda hone honest honestly honey
hong honor hood hoof hoofd hoog hook hoop hoot hope hoped hopefully hopes hoping hora horas hore
hores horiz horizontal horm horn horr horrible horror hors horse horses hort hosp hospital
hospitals host hosted hosting hosts hotel hotels hott houd houden hour hours hous house household
houses housing houston hover howard however hrase href hren htags html http https huge huid huis
hulle human humanity humano humanos humans humor hund hundred hundreds hung hungry hunt hunter
hunting hurt husband hver hvis hvor hvordan hybrid hydr hydro hydrogen hyper hypoth iaal iagn
iagnostics iais iale iales ialis ially ialog ials iamo iams iana iance iane iani iano ians iant
iante ianza iare iate iately iation iaux ibaba iban ibar ibbean ibbon ibel iben iber ibern ibernate
ibil ibile ibilidad ibilidade ibilities ibility ible ibles ibli ibling iblings ibly iboutlet
ibraries ibrary ibration ibre ibus ibut icago ical ically icamente ican icana icane icano icans
icao icap icar icaragua icas icate icated icates ication ications icator iced icense icer ices icha
ichael iche ichen icher icherung ichi icht ichte ichten ichtig ichts icia icial ician icians icias
icide icien iciency icient icies icing icio icion icional iciones icios icious icip icit icked
icken icker icket ickets icking ickness icks icky icle icles icode icol icon icone iconic icons
icos icro icrosoft icted iction ictionary ictions icture ictures icul icular iculo iculous iculum
icut icycle idable idad idade idades idal idan idas iday idays idden idding iddle iddleware idea
ideal ideas ided idee idel idelijk idem iden idence ident idente idential identical identific
identification identified identifier identify identifying identity idents ideo ideos ider iders
ides idez idge idges idget iding idir idity idor idores idos idth idung iece ieces iedad iedade
iedades ieden ieder iedere iedereen ieel iego ieke ield ields iele ielen ielle iels ielt iemand
iembre ience iences iencia ienda iendo iene ienen ienia ienne iennes ienst ient ientation iente
iented ientes iento ientos ientras ients ienumerable ienza iera iere ieren ieres ierno iero ieron
ierra ierre iers iert ierta ierte ierten ierto ierung iese iesen iest iesz iete ieten ieter ietet
ieties ietnam iets iety ieur ieurs ieux ievable ieval ieve ieved ievements iever ieves ieving ifact
ifacts ifecycle ifen ifer iferay ifest ifestyle ifetime iffe iffer ifference ifferent iffic
ifficulty iffs ifiable ific ifica ificado ifically ificar ificate ification ifications ificial ifie
ified ifier ifiers ifies ifik ifique ifiz iform iforn ifornia ifter ifting ifts iful ifying igan
igar igas igation igde igen igenous igens iger igers iges igest igger iggers ighbor ighbors ighe
ighed igheden igheid igher ight ighter ighters ighth ights igid igin iginal iging igious igit
igital igkeit igma igne igned igner ignet ignment ignor ignore ignored igos igration igrations igte
igual igue igung igure igut ihan ihat ihen ihin ihnen ihre ihrem ihren ihrer ihugu ijas ijden ijen
ijiet ijing ijke ijken ijks ijnen ijos ijuana ikal ikan ikari ikas ikat iked ikel iken iker ikes
ikeun ikia ikin iking ikip ikipedia ikir ikka ikke ikki ikko ikkut ikon ikor iksi ikum ikut ikwembu
ilan iland ilang ilar ilarly ilation ilde ilder ildi iled ilen ilename iler ileri ilers iles ilet
iley ileyo ilia iliar iliate iliation ilib ilibr ilig ilige ilik iline iling ilio ilir ilis ilit
ilities ility illa illage illance illas ille illed illegal iller illes illi illiant illing illinois
illion illness illo illon illos ills illu illuminate illustr illy ilon ilor ilos ilst ilter ilters
ilty imaal imag image imagem imagen images imagin imagination imagine imaging imal iman imary imas
imat imate imated imately imation imba imedia imen imension imensional iment imental imento imentos
iments imer imes imest imestamp imestamps imet imeter imiento imientos imin iminal imination imir
imit imiter imiz imize immed immediate immediately immer immers immi immigr immigration imming
immun immune imon imonial imonials imonio imony imore imos impact impacto impacts impe imper impl
implant imple implement implementation implemented implementing implements implic implications
implicit implied implies import importance important importante importantes importantly imported
imports impos impossible impr impres impress impressed impression impressive impro improv improve
improved improvement improvements improves improving impuls imum imus inaire inais inal inals inan
inar inars inary inas inate inated inating ination inations inaug inay inbox ince incent inch
inches inci incident incip incipal incl inclu includ include included includes including inclus
inclusion inclusive incluso incom income incoming incon inconven incor incorpor incorporate
incorporated incorrect incre increase increased increases increasing increasingly incred incredible
incredibly increment inct inction incur inda inde inded indeed indem inden indent indep independ
independence independent independently inder inders index indexed indi india indian indiana indic
indicate indicated indicates indicating indication indicator indicators indices inding indirect
indispens indiv individ individu individual individually individuals indo indones indonesia indoor
indow indows indre inds indu industr industri industrial industries industry inecraft ined inee
inely inem inen inent ineq iner inery ines inese iness inet inev inexp inexpensive infant infect
infected infection infections infer inferior infinite infl inflamm inflammation inflater inflation
influ influence influenced influences info inform informatie information informationen informations
informative informed infos infr infra infrastructure inga inge ingen inger ingers ingham ingi
inging ingl ingle ingly ingo ingred ingredient ingredients ingres ings ingt ington ingu inha inhab
inher inherit inhib inho inhos inici inicial iniciativa inicio inig inik inim inin ining inis inish
init inite initely initi initial initialization initialize initialized initially initiative
initiatives inition initions inity inium iniz inja inject injection injured injuries injury inka
inkel inking inkl inkle inks inline inna inne inned innen inner inners inng inni inning innings
innoc innocent innov innovation innovative inois inos input inputs inquiry insan inscr insect inser
insert inserted insets insi insic inside insight insights insist insn inson insp inspect inspection
inspir inspiration inspire inspired inspiring inst instagram instal install installation installed
installing instance instanceof instances instant instantly instead instit institute institution
institutional institutions instituto instr instruct instruction instructions instructor instrument
instruments insulin insult insurance inta intage intake inte integer integr integral integrate
integrated integration integrity intel intelig intellect intellectual intellig intelligence
intelligent intend intended intendo intens intense intensity intensive intent intention inter
interact interaction interactions interactive interceptor interes interess interessante interesse
interest interested interesting interests interf interface interfaces interior intermediate intern
interna internacional internal international internationale internationally internet interpre
interpret interpretation interrupt intersection interv interval intervals interven intervention
interview interviews intest inth inti intim intimate into inton intr intro introdu introduce
introduced introducing introduction ints intuit inue inum inux invalid invas invent invention
inventory invers invest invested investig investigate investigated investigation investing
investment investments investor investors invis invisible invit invitation invite invited invoice
invoke invol involve involved involvement involves involving inya inye iode ioexception iolet iona
ional ionale ione ioned iones ioni ionic ions ionship ioon iores iority iosa ioso iostream ious
iously iowa ioxid ipeline iper ipes ipher ipheral iphone ipient iple iplier ipment ipped ipper
ippers ippet ippi ipping ipse ipsum ique iques iquid irable iral iram iran iraq iras iration ircle
ircuit ircular irdi irebase irect irection irectory ired ireland irement iren ireo ires irgend iril
irim iring irish irit irma irme irmingham iron iros irre irres irrit irse irsiniz irst irth irthday
irts irtual irty irus isan isang isas isation isbn iscal isce isch ische ischen ischer isches isco
iseconds ised iseerd isel isement isen iser ises isesti iset isez isha ished isher ishes ishi
ishing ishment isho ishop isia isible isiert isim isin isine ising isinstance ision isions isis
iska iske islam islamic island islands isma isme ismiss ismo isms ismus isoa isol isolated
isolation ison isons ispens isper isra israel israeli issa issan issance issant isse issement issen
issenschaft issent isser isses isset issez issing ission issionais issions issippi isso isson issue
issued issues ista istan istance istant istar istas iste isted istema isten istent ister isters
istes isti istic isticated istics istik isting isto istoire iston istor istory istr istra istration
istre istrict istro istros istry ists iswa isyon itable itage itaire ital italia italian itals
italy itan itar itarian itary itas itat itate itation itative itch itched itchen itect ited iteit
iteiten itel item itempty items iten iter iteral iteration iterator iterr ites itet itez ithe ither
ithi ithub itia itial itialize itie ities itim itime iting ition itional itionally itions itious
itis itive itivity itle itled itles itmap itness itol itor itores itori itories itorio itors itory
itos itra itre itsa itse itself itta itte itted itten itter ittest itti itting ittle itud itude
itudes itulo itung itur itura iture itus itzer itzerland ival ivalent ivamente ivan ivas ivat ivate
iveau ived ivel ively ivement iven iveness ivent iver iverpool ivers iversary iverse iversity ivery
ives ivia ivid ividad ividual ivil iving ivit ivity ivos ivot ivre ixed ixel ixels ixer ixin ixon
iyan iyar iyat iyon iyong iyor izabeth izable izada izadas izado izados izar izard ization izations
ized izen izer izers izes izin izing izio izione izona izza jaar jack jacket jackpot jackson jacob
jadi jahr jahre jahren jahres jail jako jamais james jamin jane janeiro jang jango janu januari
january janvier japan japanese jard jardin jaren jason java javafx javascript javax jazz jbutton
jean jeans ject jected jection jections jectory jede jedem jeden jeder jedoch jeff jekt jemand jenn
jennifer jenter jerry jersey jerusal jerusalem jess jest jesus jeto jetzt jeun jeune jeunes jeung
jeux jewe jewelry jewish jews jika jimmy jing jira jlabel jobs jogo jogos john johnson join joined
joining joint joints joka joke joker jonathan jones jong joni joption jordan jorn jornada jose
joseph josh jouer jour jourd journ journal journalism journalist journey jours jouw jpanel jsem
json jsonobject jsou jspx jtext juan judge judges judgment judicial juego juegos juga jugar jugend
juice juillet juin juiste juli jullie july jump jumped june juni junio junior junk junto jurisd
jurisdiction jury jusqu just juste justice justify justin kaar kada kadar kakhulu kako kala kale
kali kama kamer kami kamp kamu kana kandi kang kanggo kann kannst kannt kans kansas kant kanyang
kara karakter karena karl karo kart kasut kata kate kath katika kauf kaufen kaum kaya keen keep
keeper keeping keeps keer kehr kein keine keinen keit keiten kele keleton kell kelly kend kening
kenn kennedy kennen kennis kent kentucky kenya kepada kept kernel kers keun keuze kevin keyboard
keys keyword keywords khan kick kids kiezen kijken kill killed killer killing kilom kind kinda
kinder kinderen kindle kinds king kingdom kings kini kins kiss kita kitchen kits kken klaar klad
klahoma klanten klar klas klass klein kleine kleinen kleur kmen knee knew knife knight knock know
knowing knowledge knowledgeable known knows koja koje koji koko kole komb komen komm kommen kommer
kommt kommun komple komst komt kona kond kone kong konk konnte kons kont kontakt kontrol koop kopen
kore korea korean kort kost kosten kostenlos kotlin kracht krij krijgen krijgt krist krit ksam kter
ktober ktop ktor kuba kuch kuin kuko kull kullan kult kuma kuna kunden kung kunne kunnen kunst kunt
kunye kuri kurs kurz kush kuti kuwa kval kvinner kwal kwaliteit kwam kwargs kwaye kwenye laat
laatste label labels labor laboratory labour lace lack ladies lado lady laga lage lagen lagi lagu
lahat lahko laid lain lais lake lama lambda lamp lanc land landing lando lands landsc landscape
lane lang lange langs language languages lanka lant lanz laps laptop laquelle lara larda lares larg
large largely larger largest largo lari lary laser lash lass lassen last lasting late lated lately
laten later latest lati latin lation latitude lator latter laub laug laugh launch launched
launching laund laundry laur laura laut lava lavor lawn lawrence laws lawsuit lawyer lawyers layer
layers layout lazy lder lead leader leaders leadership leading leads leaf league leak lean leans
lear learn learned learning lease leased least leather leave leaves leaving leben lebens lebih lech
lect lected lection lections lectric lecture leden ledge leep leer lees leet left lega legacy legal
legally legate lege legen legend legendary legg legis legisl legislation legit legitimate legs legt
leich leicht leid leider leis leist leisure lekker lela lelo lement lements lemma lemon lend lender
lenders leng length lens lent leon lere leren leri lerin lerini lers less lesser lessly lesson
lessons leswaku leswi leta lete leted letes letic leting lets lett lette letter letters letting
letz letzten leuk leuke leur leurs levant levar leve level leveland levels leven lever leverage
lewis leyi lezen lgbt liability liable liament lias liber liberal libert libr libraries library
libre libro lica lical lication lications lice licence license licensed licenses licensing lich
licha lichaam liche lichen licher liches lichkeit licht licit lick lict lider lief liegen liegt
lien lient lies liest lieu life lifestyle lifetime lift liga lige light lighter lighting lights
lightweight ligne ligt lijk lijke lijkt like liked likely likes likewise limit limitation
limitations limite limited limits linary lincoln lind line linear lined lines lineup ling lingen
lings lingu linha link linked linking links lint linux lion lips liqu lique liquid lire lisa lish
lished list lista liste listed listen listener listeners listening listing listings lists lite
liter literal literally literary literature litt little live lived liver liverpool lives living
livre livro ljen llam lleg llegar llen llev llevar llll load loaded loader loading loads loan loans
loat loating lobal lobby local locale locales localhost locally locals locate located location
locations locator lock locked loed logged logger logging logic logical login logo logout logs loin
lokal lokale loko lomb lombok lond london long longer longest longitude longo lood look looked
looking looks lookup loom loop loor loose lope loquent lord lori loro lors lorsque lose losing loss
lossen losses lost loten lots lottery loud louis louisiana lounge love loved lovely lover lovers
loves loving lower lowest loyal loyalty lucas luch lucht luck lucky lucr luego luetooth lugar
lugares luis luit luke lumi lunch lung luss lust luxurious luxury lying lymp lyph lyphicon lyrics
lywood maak maakt maal maan maand maanden maar maat mach machen machine machinery machines macht
macro made madison madre madrid magaz magazine magazines magic magical magn magnet magnetic
magnific magnificent magnitude mail main mainder maine mainly mainstream maint maintain maintained
maintaining maintenance maintenant maior maiores maioria mais maison major majority maka make maken
maker makers makes makeup making makk makkelijk maks mala malad malaysia male males mali mall
malloc malo mama mamm mana manage managed management manager managers manages managing manchester
mand mandatory mands mane maneira manera mang mange manhattan manier manif manifest manip mann
mannen manner mano manos mans mant manten mantener manter manual manually manuel manufact
manufacture manufactured manufacturer manufacturers manufacturing manus many mapped mapper mapping
maps mara marc marca marcas march mare marg margin marginal mari maria marie marijuana marine mario
mark marked marker markers market marketing marketplace markets marks markt marque marriage married
marry mars mart martin marvel mary maryland marzo masa mascul mash masih mask masks mass massa
massachusetts massage massasje massive mast master masters mata match matched matcher matches
matching mate mater materia material materials mates math mathemat mathematics matic matin
matplotlib matr matrix mats matt matter matters matthew mattress matur mature maur maxim maximize
maximum maybe mayo mayor mazing mazon mble mbled mbly mbol meal meals mean meaning meaningful means
meant meanwhile meas measure measured measurement measurements measures measuring meat mechan
mechanical mechanism mechanisms medi media median mediante mediate medic medical medicare
medication medications medicine medicines medida medidas medio medios meditation mediterr medium
meer meest meeste meet meeting meetings meets mega meget mehr meille meilleur mein meine meinen
meiner meio meisten mejor mejorar mejores melakukan melbourne meld meldung melhor melhores mell
melt memb member members membership membr membres membuat memcpy memil memiliki memo memor
memorable memorial memories memory memset menc mencion mend mendapat mener meng menggunakan mening
menities menj menjadi menn menor menos mens mensaje menschen mensen ment mental mentation mente
mented mention mentioned mentor ments menu meny merc mercado merce mercedes merch merchandise
merchant merchantability mercial mere mereka merely merg merge merged merk merupakan mesa meses
mesh mesi mesma mesmo mess message messages messaging mest mesure meta metabol metadata metal
metals mete meter meters meth method methodology methods metic metod metric metrics metro metros
metry mettre meus mewn mexican mexico mgbe miami mice mich michael michel michigan micro micros
microsoft midd middle middleware miel mientras mieux might migr migration migrations miguel mijn
mike milan mild mile miles milieu milit militar military miljo milk mill mille miller milli million
millions millis millones mills mily mina mind minder minds mine miner mineral minerals ming minha
mini minim minimal minimize minimum mining minister ministr ministry minn minnesota minor mins mint
minus minute minuten minutes minutos mirror mise mism misma mismo miss misschien missed missing
mission missions mississippi missouri mist mistake mistakes mitar mitgl mitt mitted mittel mitting
mixed mixing mixture mobil mobile mobility mock moda modal mode model modeling modelo modelos
models moder moderate modern moderne modes modest modification modifications modified modifier
modify modo module modules moeil moet moeten mogelijk mogu moins mois moist moisture mold mole
molecular molt molto moment momento momentos moments momentum mond monday monde monet monetary
money mong mongo mongoose monit monitor monitoring mono mons monster mont monte month monthly
months montr monument mood mooi mooie moon moore mooth mora moral more moreover morgan morning
morph mort morte mortgage mosc most mostly mostr mostra mostrar mother mothers motion motiv
motivated motivation motivo moto motor mots mount mountain mountains mounted mouse mouth move moved
movement movements moves movie movies moving moyen mozilla muaj much muchas mucho muchos muestra
muit muita muitas muito muitos mujer mujeres mula mulher mulheres mult multi multip multipl
multiple mumbai mund mundial mundo mung municip municipal murder muri muscle muscles muse museum
mush music musical musicians musik musique muslim muss must mutable mutta mutual muut muzie mwen
mycket mynd myself mysql mysqli myst myster mysterious mystery myth naam naar naast nach nacional
nada nahme nahmen nail naire naked naken nama naman name named namelijk namely names namespace nang
nant napshot narr narrative narrow nasa nash nast natal nation national nationale nations
nationwide native natu natur natural naturally nature natuurl natuurlijk navbar nave navig navigate
navigation navigator navy nbsp ndef nder ndzi near nearby nearest nearly neas neat neath neben nebo
neces necesario necesidad necesidades necess necessarily necessary neck nect nection nections neder
nederland nederlandse need needed needing needs nega negative nego negoc negoti nehmen nehmer neigh
neighbor neighborhood neighbors neighbour neither nella nelle nels nelson nemen nement nent nergie
nergy nero ners nership nerv nerve nervous ness nest nesta neste nested netflix netherlands netic
nett netto network networking networks neue neuen neur neuro neut neutral nevada never nevertheless
newer newest newly news newsletter newsp newspaper newton next neys nghi ngok ngwa nice nicely nich
niche nicht nichts nick nier niet niets nieuw nieuwe niger nigeria night nights niin nije nika nike
nine ning ningar ningen ninger nings nintendo ninu nique nisse niveau nivel niya njeg njih nobody
noch noche node nodes nodig noen noir noise noite nombre nombreuses nombreux nome nonatomic none
nonetheless nood nooit noon nord norge norm normal normalize normally nors norsk norske nort norte
north northern northwest nose nosotros noss nossa nosso nossos nost nosti nota notable notamment
notation notations note noted notes nothing notice noticed notification notifications notified
notify notion notre nour nous nouv nouve nouveau nouveaux nouvelle nouvelles nova novas novel
novels november novembre novo novos nown nsstring ntawm ntchito nten ntil ntown nucle nuclear nude
nuest nuestra nuestras nuestro nuestros nueva nuevas nuevo nuevos nuit null nullable nullptr numa
number numbers numer numeric numero numerous nummer numpy nums nunca nung nurse nurses nursing nutr
nutrients nutrition nuts nutzen nwere nych nydd oard obal obals obama obby ober obes obil obile
obili object objective objectives objects objet objetivo objetivos objeto oblig obligation
obligations obra obras obre obrig obsc observ observable observation observations observe observed
observer obst obstacles obtain obtained obtaining obten obtener obuf obvious obviously ocal ocas
ocate ocation occas occasion occasional occasionally occasions occup occupied occur occurred occurs
ocean oche ochem ocial ociation ocity ocker ocket ockets ockey ocks ocol ocolate ocom ocomplete
ocon october octobre octubre ocument ocup ocus odat oday odds oded odel oden oder odes odge odia
odies odigo oding odos odule odzi ofere oferta offee offense offensive offer offered offering
offerings offers offic office officer officers offices official officially officials offline offre
offs offset offsetof ofia ofic oficial ofrec ofrece often ogan ogen ogene ogenic oger ogether oggle
ogle ogni ograf ografia ogram ograp ograph ographer ographic ographical ography ogue ohio ohne ohun
oids oils oint ointer ointment oints oire oires okay oked okemon oken okens oker okes okia oking
oklahoma oktober okus olan olar olarak olas olation older olders oldest olding oldo olds oldu olean
oleh olen oler oles olesale olesc olescent olia olic olicy olid olie olin oline olis olit olitan
olive olla ollapse ollar olle ollen ollo ollow olly olog ologi ologia ological ologie ologies
ologist ologists ology olor olum olumn olution olve olved olver olymp olympic omain omal oman omas
omba ombe ombie ombo ombre ombres omdat omed omen oment omer omes omet ometer ometimes ometric
ometry omgeving omial omic omin oming omitempty omme ommen omon onal onav onavirus once onces
onclick onda onday onde onden onder ondere ondernem onders onderste onderzoek ondo ondon onds oned
onen oner ones oney onga onge ongeveer ongo ongodb ongoing ongoose ongs onia onic onie oning onitor
online only onna onne onnen onom onomy onstr onta ontal ontario onte onth onto ontst ontw ontwikk
onut onye onym onymous onze oodle oods oogle ookie ookies ooks oolean ools oons oooo oord opacity
opath opciones oped open opened opening opens oper opera operate operated operates operating
operation operational operations operator operators opes opge opher opia opic opin oping opinion
opinions ople oples oploss oportun oportunidad opped opper oppers opping oppon opponent opponents
opportun opportunities opportunity oppos opposed opposite opposition opsis opter optical optim
optimal optimization optimize option optional options opts opup opyright orable oracle orage oral
oran orang orange orar oras oration oraz orce orch orda ordan orde orden order ordered ordering
orders ordin ordinary ordinate ordinates ordinator ording ordon ords ored oregon orem oren orer
ores oret organ organic organis organisatie organisation organisations organism organiz
organization organizational organizations organize organized orge orgen orgeous orgot oria orial
orian orie orient orientation ories orig origin original originally oring orio orious orith orithm
orithms oriz orizontal orlando orld orleans ormal orna orne orner orney orneys orno orom orough
orous orph orphan orre orrect orrent orrer orris orro orrow orry orsch orse orship orsk orta ortal
orte orted orten orth orthern orts orum orus osas oscar osed osen oser oses osex osing osion osis
osit osition osity oslo osob osos ospel osph ospital ossa ossier osta ostat osten oster osterone
osti ostic ostics osto oston ostr ostream otal otas oteca oted otel oten oter otes othe other
otherapy others otherwise othing othy otic otics oting otion otive oton otor otos otra otras otre
otro otros otta ottage otte otted otti otto ottom otype otypes ouble oubted oubtedly ouch oucher
oude ough ought ould ounce ounced ound ounded ounding ounds ounge ount ounter ounters ountries
ountry oupon ource ources ourd oure oured ourg ouri ourn ournal ournament ourney ours ourse
ourselves ourses ourt ouse ousel ouses ousing ously ousse oust oustic outbreak outcome outcomes
outdoor outdoors oute outed outer outes outfit outh outine outing outlet outlets outline outlook
output outputs outr outra outras outro outros outs outside outstanding outube ouve ouver ouvr
ouvrir ouwen oval ovan ovascular ovat oved oveel oven ovend over overall overcome overflow overl
overlay overlook overn overnight override overs overse overseas overview overw overwhel
overwhelming oves ovha ovid ovie oving ovol owane owania owanie owed owej owel ower owers owing
owired owned owner owners ownership ownload owns owych oxford oxic oxid oxygen oyal oyer paar pace
pacientes pacific pack package packages packaging packed packet packing packs pada padding padre
pagamento pagar pagb page pager pages pagina pagk pago pags paid pain painful paint painted
painting paintings pair pairs pais pakistan palab palabras palace palav pale palest palette paling
palm pand pandas pandem pandemia pandemic pane panel panels pang panic panor pant pantalla pants
papa papel paper papers papier para parad paragraph paral parallel param parameter parameters
params paras paration parator parc parce parcel pare parece pared parent parents parer parfait
parfois paris park parker parking parks parl parlament parler parliament parse parsed parser part
parte parten partes parti partial partially partic particip participant participants participar
participate participated participating participation particle particles particular particularly
particuli particulier partida partido partie parties partir partition partner partners partnership
parts party pasa pasado pasar pase paso pass passa passado passage passar passe passed passen
passenger passengers passer passes passing passion passionate passive passport password past pasta
paste patch patent path paths pathy patience patient patients patio patr patri patrick patron
pattern patterns paul paulo pause paying payload payment payments pays peace peaceful peak pear
pearance peat peau pecial pecially pecific pect pected pection pective pector pects pedi pedido
pedro peed peer peers pekt pela pelas pele pelo pelos pemb pena penal penalty pend pendant pending
penetr peng penis penn pennsylvania pens pensar pense pension pent pentru peny people pepper pequ
peque perature perc perce percent percentage perception perd perder perf perfect perfection
perfectly perfil perform performance performances performed performing performs perg perhaps period
periode periods perlu perm permainan perman permanent permet permis permission permissions permit
permite permits permitted pero pers perse persist persistent perso person persona personal
personality personalized personally personas persone personen personn personne personnel personnes
persons persoon perspect perspective perspectives persu pert perties perty pesar peso pesquisa
pesso pessoa pessoal pessoas pest peter peters petit petite petition petits pets peut peuvent peux
peyan phabet phan phant pharm pharmac pharmaceutical pharmacy phase phases phen phenomen phenomenon
pher phere phil philadelphia philip philipp philippines phill philos philosoph philosophy phoenix
phone phones phony phosph phot photo photograph photographer photographs photography photos
photoshop phrase phrases phys physi physical physically physician physics physique piano pick
picked picker picking picks pickup pics pict picture pictures piece pieces pied piedra piel pien
pier pierre pikeun pile pill pills pilot pine ping pink pins pint pinterest pione pipe pipeline
pipes pires pisc pisode piss pist pitch pite pitt pitts pivot pixel pixels pizza plaats plaatsen
plac place placed placeholder placement places placing plain plais plaisir plan plane planes planet
planned planning plano plans plant planta plantas plante plants plash plasma plast plastic plat
plata plataforma plate plates platform platforms platz play played player players playing playlist
plays plaza pleasant please pleased pleasure plein plek plement plenty pler ples plet plete pleted
pletion plex pliance plic plication plied plier pliers plies plik pling plit pload plot plotlib
ploy ployed ployee ployees ployer ployment plug plugin plugins plumbing plural plus plusieurs plut
pobl poch pocket pockets poco podcast pode podem podemos poder podr poem poet poetry poin point
pointed pointer pointing points pois poison poker polar polation pole polic police policies policy
polit politi political politicians politics politique poll pollution polo poly polygon pond ponde
ponder ponent ponents poner pons ponse ponses ponsive ponsored pont ponto pontos pool pools poon
poor popul popula popular popularity population populations popup poral porary porn porno porque
port porta portable portal porte ported porter portfolio portion portions portland porto portr
portrait ports portugal portun posa posable posal pose posed poser poses posibilidad posible posing
posit posite position positioned positions positive positories pository poss possess possession
possibil possibilities possibility possible possibly possui post posta poste posted poster
posterior posting posto posts potatoes potencial potent potential potentially potreb potter pouco
pound pounds pour pourquoi pourra pourrait pous pouv pouvez pouvoir pove pover poverty powder power
powered powerful powers pped ppen pping prac pracht prachtige pract practical practically practice
practices practicing practition pragma praise prakt pratic pratique prav pray prayer pread prec
precated preced prech precio precios precious precip precis precisa precise precisely precision
preciso pred predicate predict predicted prediction predictions pref prefer preference preferences
preferred prefix preg pregn pregnancy pregnant preh preis prelim prem premi premier premium pren
prend prendre preoc preocup prep prepar preparation prepare prepared preparing pres prescribed
prescription presence present presenta presentation presentations presente presented presenter
presenting presents preserv preserve presid president presidente presidential press pressed
pressing pression pressure prest pret pretend preter pretty prev preval prevent preventing
prevention prevents preview previous previously prez price priced prices pricing pride prij prijs
prim prima primarily primary prime primeira primeiro primer primera primero primitive prin prince
princess princip principais principal principales principalmente principio principle principles
pring print printed printer printf printing println prints prior priorit priorities priority prip
pris prise prises prison prit prite priv privacy privat private privile privilege prix prize prizes
prob probability probable probably probe probl proble probleem problem problema problemas problems
proc proced procedure procedures proceed procent proces proceso process processed processes
processing processo processor processus procur procure prod produ produce produced producer
producers produces producing product producten production productive productivity producto
productos products produit produits produk produkt produkte produto produtos produz prof profes
profesional profesionales profess profession professional professionals professionnel
professionnels professor profil profile profiles profiss profissionais profissional profit
profitable profits profound profund prog program programa programas programm programma programme
programmes programming programs progress progression progressive prohib prohibited proj project
projected projection projects projekt projet projeto projets prol prolong prom promet promin
prominent promise promised promises promising promo promoc promot promote promoted promoting
promotion promotional promotions prompt pron pronto proof prop propag proper properly properties
property propia propio propor proporcion proport proportion propos proposal proposals propose
proposed propr propre propri propriet props pros prosecut prospect prospective prospects prosper
prost prostit prot protagon prote protect protected protecting protection protective protein
proteins protest proto protocol protocols prototype proud prov prova prove proved proven provid
provide provided provider providers provides providing provinc province provision provisions provoc
proxim proxy proyect proyecto proyectos prozent prue prueba prze przed przez przy pson psych
psychological psychology ptember ption ptions pton publ publi public publication publications
publicly publish published publisher publishing pueblo pued pueda puede pueden puedes puedo puerto
pues puesta puestas puesto puis pull pulled pulling pulse pump punch punct punk punkt punt punto
puntos pupp purch purchase purchased purchases purchasing pure purple purpose purposes purs pursue
pursuing push pushed pushing putation pute puted puter putnik puts putting puzz puzzle pygame
python qarf qarpoq qart qatigi qhov qstring quad quadr quais qual qualidade qualifications
qualified qualify qualities quality qualquer quals quan quand quando quant quantities quantity
quanto quantum quare quart quarter quarters quase quasi quatre quatro qued queda quee queen queens
queeze quel quele quelize quelle quelque quelques quem quement quence quences quency quent quential
quently quer queries query ques quest questa question questions questo quet queue quick quickly
quien quienes quier quiere quiet quin quina quinas quip quipe quir quire quired quires quiries
quiry quis quisa quisite quisition quit quite quiz quod quoi quot quote quoted quotes quotid raag
raak race races rach racht racial racing rack raction radar radi radiation radical radio radius
rael raform raft ragen raham rahmen raid rail rain raine raint raints rais raise raised raising
raison rait rally rame ramp rand random rang range ranges ranging rank ranked ranking rankings
ranks raph rapid rapide rapidement rapidly rapp rapper rapport rare rarely rast rate rated rates
rather rating ratings ratio rational ratulations raul raulic raum rawing rawl razil reach reached
reaches reaching react reaction reactions read readcrumb reader readers readily reading readonly
reads ready reak real realidad realistic reality realiz realizado realizar realize realized really
realm realmente ream rear reas reason reasonable reasonably reasons reat reate reatment recall rece
receber receipt receive received receiver receives receiving recent recently recept reception recer
recher recherche recht rechts reci recib recip recipe recipes recipient reck recl recogn
recognition recognize recognized recognizer recom recomend recomm recommend recommendation
recommendations recommended recon reconhe reconoc record recorded recording records recover
recovered recovery recr recre recruit recruitment rect rectangle rection recuper recursos recycl
recycler recycling redd rede reden redes redi redict redirect redis redistribute redistributions
redit redu reduc reduce reduced reducer reduces reducing reduction redux reece reement reen rees
reet reeze refer reference referenced references referred referring refers refin refix reflect
reflected reflection reflects reflex reform refr refresh refreshing refriger refs refuge refund
refuse refused rega regar regard regarded regarding regardless regards regel regen regex regime
region regional regions register registered registering registr registration registro registry
regon regret regul regular regularly regulation regulations regulatory rehabil rehe reib reiben
reibung reich rein reis reject rejected rekening relacion reland relat relate related relating
relation relations relationship relationships relativ relative relatively relatives relax
relaxation relaxed relaxing rele release released releases relev relevant reli reliability reliable
relief relig religion religious rell reload rels rely remain remainder remained remaining remains
remark remarkable remarks reme remed remember remembered remind reminded reminder reminds remodel
remos remote remov removal remove removed removing rena rename renamed rence rench rencontr
rencontre rend render rendered renderer rendering rendre rene renew renewable renov renowned rent
rental rentals repair repairs repar repe repeat repeated repeatedly repet replac replace replaced
replacement replacing replic replica replied reply repo report reported reportedly reporter
reporting reports repos repository repr represent representation representative representatives
represented representing represents reprodu reproduce republic republican republicans reput
reputation requ requency requer request requested requests require required requirement
requirements requires requiring requis rero resa resc rescue rese research researchers resent
resentation resents reserv reservation reserve reserved reserves reset resh reshape reshold resid
residence resident residential residents resil resist resistance resistant resize reso resol
resolution resolve resolved resolver reson resort resource resources resp respe respect respected
respective respectively respecto respir respond responded respons responsabil responsable response
responses responsibilities responsibility responsible responsive respuesta ress resse ressed resser
ression resso rest restart restaur restaurant restaurants reste resto restoration restore restored
restr restrict restricted restriction restrictions result resultado resultados resulted resulting
results resume retail retailer retailers retain retch reten retir retire retired retirement retour
retr retreat retrieve retro retrofit retry rett return returned returning returns retval reun reve
reveal revealed reveals revel reven revenue revers reverse revert review reviewed reviewing reviews
revis revision revol revolution reward rewarding rewards rezult rgba riage rian rica rical rice
rich richard richt richtig rick rics ride rides ridge riding rieben ried riel rien riend riendly
riends rier riers ries rifice rift right rights rijk rijke rijving ring rings rior riority riors
rique rise rising risk risks risque rist ritable rite riter riteria riterion riters rites ritical
riting rition ritis rito ritt ritten ritual ritur rival rive river road roadcast roads robe robert
robin robot robots robust rock rocks rode rodu roduction rogen roger roid roit roke rokken roku
role roles roll rolled roller rollers rolling rolls rolog rology roma roman romance romant romantic
rome romise rompt rond rong ronic ronics ront roof room rooms root roots ropa roph ropolitan rops
ropy rors rose roses ross rost roster rotate rotation rote roto rough roughly rought roulette round
rounded rounds roup roupe roups rous rout route router routes routine routing rouw rowave rowing
rown rows rowse rowser rowth royal rray rror ruary rubber ruck ruim ruimte ruit rule ruled rules
ruling rund runnable runner running runs runtime rupt ruptcy rupted ruption rural rush russ russell
russia russian rust rwanda rxjs ryan rypt rypto saat sabe saber sacr sacrific sacrifice safari safe
safely safer safety sagen sagt sagte said sail saint sais saison saja saka sake sala salad salah
salary sale sales salir salle salon salt salud salv sama samb same samen sammen samo samp sample
samples sampling samsung samt samuel sana sanct sand sandwich sang sangat sanit sans sant santa
santiago santo sarah sare sareng satellite satisf satisfaction satisfied satisfy satu satur
saturday sauce saudi save saved saves saving savings savoir saya saying says scal scala scalar
scale scan scanf scanner scape scar scared scary scatter scen scenario scenarios scene scenes
schaft sche sched schedule scheduled scheduler schema scheme schn schnell schol scholar scholarship
schon school schools schrij schul schw schwe schwer science sciences scient scientific scientists
scious scope score scored scores scoring scot scotland scott scottish scratch scre screen screening
screens screw scrib scribe scriber script scription scriptions scripts scroll sculpt seal sealed
seam sean search searched searches searching season seasonal seasons seat seating seats seattle
sebagai sebel secara second secondary seconds secret secretary secrets sect secteur section
sections sector sectors secur secure secured security secut seda sedan sede seed seeds seeing seek
seeking seeks seem seemed seemingly seems seen sees segment segments segu seguir segunda segundo
seguridad seguro sehen sehr sein seine seinem seinen seiner seis seit seite seja seks selbst sele
seleccion select selected selecting selection selector self sell selle seller sellers selling sells
selon selv selves semaine semana semanas sembl semble sembly semester semi sempre semua senal
senate senc send sender sending sendo sends seng seni senior seniors sens sensation sense sensible
sensitive sensitivity sensor sensors sent sentence sentences sentido sentiment sentir senza separ
separate separated separately separation separator seper seperti sept september septembre sequ
sequence sequences sequential sera serait seria serial serializable serialize serialized serializer
serie series serif serious seriously serm seront serr serror sert serta sertation sertion serv
servable servar servation serve served server servers serves servi service services servicio
servicios serving servir servlet sess session sessions sets sett setting settings settle settled
settlement setup seudo seul seule seulement seus seva seven sevent sever several severe sexe sexo
sext sexual sexy sgiving shade shader shades shadow shaft shake shal shall shallow shame shanghai
shape shaped shapes shar share shared shares sharing sharp shed sheeg sheet sheets shel shelf shell
shelter sher shield shift shine ship shipped shipping ships shire shirt shit shock shocked shoe
shoes shoot shooting shop shopping shops shore short shorter shortly shot shots should shoulder
shoulders shouldn show showcase showed shower showing shown shows shut shutdown sible sich sicher
sick sida side sidebar siden sides sido sieht siempre siendo sight sigma sign signal signals
signature signed signific significa significance significant significantly signing signs sigu sigue
siguiente siis sila silence silent silly silver similar simon simpl simple simplement simpler
simples simplic simply simulation simult simultaneously sinc since sind sine sing singapore singer
singh singing single singles singleton singular sinh sink sinn sino sint sist sistem sistema
sistemas sister sisters site sites sitio sits sitting situ situated situation situations sixth siya
size sized sizeof sizes skal sketch skill skilled skills skin skip sklearn skulle skup slag slave
slechts slee sleep sleeping slic slice slide slider slides slight slightly slim slip slot slots
slow slowly slug small smaller smallest smart smartphone smartphones smarty smell smile smith smoke
smoking smooth smoothly snack snacks snake snap snapshot snel snow soap sobre soccer soci sociais
social sociale sociales sociedad sociedade societ society socio sock socket sofa sofort soft
software sogar soil soir soit solar sold soldiers sole solely solic solicit solid soll sollen
sollte sollten solo solute solution solutions solve solved solving some somebody somehow somente
someone somet something sometimes somewhat somewhere somm sommer sommes somos soms sondern song
songs sono sonra sons sonst sont sony sooma soon sooner soort soph sophisticated sorg sorry sort
sorte sorted sorts sost souff sought souha souhait soul sound sounds soup sour source sources sous
sout south southern souvent soviet sowie space spaces spacing spacious spain spam span spanish
spann spar spare spark spatial spawn speak speaker speakers speaking speaks spec special specialist
specialists specialized specially specialty species specif specific specifically specification
specifications specified specify spect spectacular spectrum speech speed speeds spel spelen spell
spend spending spent sper spiel spiele spielen spieler spin spine spinner spins spir spired spirit
spiritual split spoke spoken spokes spons sponsor sponsored spont sport sporting sports spot spots
spouse spraw spray spre spread spring springs sprintf sprite sputnik sqlexception sqrt squad square
ssen ssion sson ssue staan staat stabil stability stable stack stad stadium stadt staff stag stage
stages stainless stairs stake stakeholders stall stamp stan stanbul stance stances stand standard
standards standing stands stant stap star stark stars start started starter starting starts startup
stat state stated statement statements states static station stations statist statistical
statistics stato stats statt status stav stay stayed staying stays stdio stdlib stdout stead steady
steal steam sted steeds steel steep steering stehen steht stein stek stel stell stellen steller
stelling stellung stem sten step steph stephen stepped steps ster sterdam sterk sterreich sters
steve steven stick sticky stiff stil still stim stimul stip stir stit stitch stitution stmt stock
stocks stof stoff stolen stom stomach ston stone stones stood stop stopped stopping stops stor
storage store stored stores stories storing storm story stra stract straight straightforward strain
strand strange strap strateg strategic strategies strategy straw strcmp stre stream streaming
streams street streets strength strengthen strengths stress stret stretch strict strictly stride
strike striking string strings strip strive strlen stroke strong stronger strongly stru struck
struct struction structions structor structural structure structured structures strugg struggle
struggles struggling strument stub stuck stud student students studied studies studio studios study
studying stuff stuk stunden stunning stup stupid stva stvo styl style styled styles stylesheet
stylish suas subject subjects submission submit submitted submitting subs subscrib subscribe
subscriber subscribers subscription subse subsequent subsequently subsid subsidi substance
substances substant substantial substit substitute substr subt subtle subview succ succeed succes
success successful successfully suced sucesso such suchen suck sudah sudden suddenly sudo suff
suffer suffered suffering sufficient suffix sufic suficiente sugar sugg suggest suggested
suggesting suggestion suggestions suggests suicide suis suit suitable suite suited suits suiv sujet
suka suli sulla suma summ summar summary summer summit sund sunday sung sunny sunt super superb
superfic superior supervis supervision supp suppl supplement supplements supplied supplier
suppliers supplies supply support supported supporters supporting supportive supports suppose
supposed suppress supreme sure surely surf surface surfaces surg surge surgery surgical surpr
surprise surprised surprising surround surrounded surrounding surt surtout surv surve surveillance
survey surveys surviv survival survive survived suscept susp suspect suspend suspended suspension
sust sustain sustainability sustainable suur svar svoj svoje swap sweat sweden sweep sweet swer
swift swim swimming swing swiss switch switching switzerland sword sych sydney sylvania symbol
symbols symfony sympt symptoms sync synchron synchronized synd syndrome synt syntax synth synthetic
syria syst system systems szer taama taas tabi table tables tablet tablets tabs tack tackle tact
tactics tage tagon tags tahun tail taille tailored tain tainment taiwan take taken takes taking
tako tala tale talent talented talents tales talk talked talking talks tall tama taman tamb tamil
tamp tand tang tank tanks tant tanto tanz tape tapi taraf tard tarde tare target targeted targeting
targets tarj tark tart task tasks taste tastes tasty tattoo taught taxes taxi taylor tbody teach
teacher teachers teaches teaching team teams tear tears teas tech techn techni technical technique
techniques technological technologie technologies technology tecn tecnologia tect tected teen teens
teeth tegen teger tego tegr teil tekn tekst tela telah tele telefon telephone televis television
tell telling tells tema temas temos temp temper temperatura temperature temperatures template
templates temple tempo tempor temporada temporarily temporary temps tempt tenant tend tender tends
tenemos tener teng tengo tenha tenho tennessee tennis tens tension tensor tent teous tera terc
terce tere teri terior teriores term terme termin terminal terms tern ternal ternoon terr terra
terrain terre terrible terrific territor territory terror ters tersch terschied terse tersebut tert
terug terwijl tery test tested testing testosterone tests tesy teur teve texas text textarea texto
texts texture thai thailand than thank thankful thanks thanksgiving that thead theater theatre
theft their them thema theme themes themselves then theo theoret theoretical theories theory ther
therap therapeut therapeutic therapist therapy there thereby therefore therm thermal thern thers
these thesis theta they thiab thick thickness thin thing things think thinking thinks third thirty
this thom thomas thompson thon thor thorough thoroughly those though thought thoughts thous
thousand thousands thread threads threat threats three threshold threw thrilled thro throat through
throughout throw throwable throwing thrown throws thuis thumb thur thursday thus tias tick ticket
tickets tidak tied tiempo tien tiene tienen tienes tier ties tiet tight tijd tijdens tile tiles
till time timeline timely timeout timer times timest timestamp timing ting tings tinha tint tiny
tion tionen tipo tipos tips tire tired tires tissue titan title titled titles titre toast tobuf
toch tocol toda todas today todo todos toeg toekomst toen toget together togg toggle toile toilet
toim toire token tokens tokyo told toler tolerance toll tomar tomb tomorrow tone tong tongue
tonight tons tony took tool toolbar tools tooltip tooth topic topics topl tops torch torn toronto
tort toss tota total totally totalmente totime totype touch touchable touched touches tough
toujours tour tourism tourist tourists tourn tournament tours tous tout toute toutes toward towards
tower town towns toxic toyota toys trab trabaj trabajar trabajo trabal trabalh trabalho trace track
tracker tracking tracks tract tracted traction tractions trad trade tradem trademark trademarks
traders trades tradicional trading tradition traditional traditions traf traff traffic trag traged
trail trailer trails train trained trainer training trains trait traitement traits traj tram tran
tranqu tranquil trans transaction transactional transactions transf transfer transferred transfers
transform transformation transformed transformer transit transition transl translate translated
translation transmission transmit transpar transparency transparent transport transportation
transporte trap tras trash trat trata tratamiento tratar tration trauma trav trava travail travaux
travel travelers traveling travelling travers tray traz treasure treat treated treating treatment
treatments treats treba tree trees trein trek trem tremend tremendous tren trend trends tres trgl
trial trials triangle trib tribunal tribut tribute tributed tributes tribution tributions tributor
tributors trick tricks tried tries trigger triggered trim tring trip triple trips tritur
trituradora trois trom trong troops trop tropical trotz trou troub trouble troubles trouv trouve
trouver truck trucks truct true truly trump trust trusted truth trying tschaft tsis tten ttes ttle
ttps tube tudi tudo tuesday tuin tuition tule tumor tune tunes tung tunnel tuple turk turkey turn
turned turning turns tussen tutor tutorial tutti tutto tuvo twee tweede tweet tweets twelve twenty
twice twin twist twitter tylko type typedef typen typename typeof types typical typically typing
typography uais uales ually ualmente uant uario uart uary uation uawei ubble uber ubern ubic uble
ublic ublin ublish ubre ubro uccess uced uchar uche uchen ucht uchun ucion ucional uciones ucker
ucket ucks ucky uction udad udar udas udem uden udent uder udes udge udget udio udit udos ueblo
uego ueil uela uele uell uelle uellement uent uerdo uesday uest uesto uestra uestras ueur ueva uevo
ufact ufacturer ufen uffer ufficient uffix uffle uffy ufig ugal ugar ugen uggage uggest uggle ugin
ugins ugit uhan uicolor uiimage uikit uilabel uild uilder uille uillet uilt uing uint uiste uitable
uitar uite uiten uitge uito uits uitvo uiview ujar ukan uken ukkit ukraine uksen uktur ukuba ukun
ukunft ukuthi ulaire ulan ular ulares ulario ulas ulate ulated ulating ulation ulations ulative
ulator ulent uler ulers ules ulier ulin uling ulis ulla ulle ullen ullet ullie ullu ully ulong ulos
ulous ulpt ulse ulta ulte ulti ultimate ultimately ultip ultipart ultr ultra ultur ultura ultural
ulture ulty ului ulum ulus uman umar umas umat umatic umba umbai umber umbers umbi umbing umble
umbled umbn umbnail umed umen ument uments umer umeric umes umia umik umin uminate uming uminum
ummary ummer ummies ummy umps umpy umul unable unal unan unar unas unate unately unca uncert
uncertainty unch unched unci uncomfortable uncon unct unction unda unday unde undef undefined unden
under undergraduate underground underlying underneath unders underst understand understanding
understands understood undert undi undle undo undu unem uner unes unexpected unfinished
unfortunately unga ungan unge ungen ungeon unger ungi ungle ungs ungu unidades unidos uniform unik
uning union uniqu unique unit united units unittest unity univers universal universe universidad
universities university unknown unks unkt unless unlike unlikely unlimited unlock unnable
unnecessary unnel unnels unner unners unni unning unos unque unsafe unser unsere unserem unseren
unserer unset unsigned unst unta untas unte unter unternehmen unterschied until untime unting unto
untos untu untuk unun unus unused unusual unut unve unwanted unwrap unya upakan upal upang upcoming
update updated updates updating uper upgr upgrade upgraded upgrades upiter uple uplic upload
uploaded upon upor uppe upper upplier upport upported upset urable ural uran urance urar uras
uration urban urch urchase urdy ureau ured uren urer urers ures urface urgent urger uridad uries
uring urious urls urname uron uros urpose urray urre urrence urrencies urrency urrent urricane
urring urry ursday urse urses ursing ursion ursive urso ursor ursos urther urtle usable usage usal
usan usando usar usch used useful usement user userid username users uses uset useum ushed usher
ushi ushing usia usias usiasm usic usiness using usion usive usize uspend ussa usse ussen ussi
ussian usst ussy usta ustain uste usted uster usters usto ustom ustomer ustr ustri ustry usual
usually usuario usuarios utable utah utan utar utas utch utdown uted utely uten uter uters utes
uteur uther uthi uthor uthorized utig utik util utilis utiliser utilities utility utiliz utilizar
utilize utilized utilizing utils utin ution utions utiss utit utlich utor utorial utos utral utta
utter uttle utton utura uture uuid uvre uyen uzzle vaak vacation vacc vaccine vacuum vada vagy vain
vais vakantie vale valentine valeur valid validate validation validator valley valor valores vals
valt valu valuable valuate valuation value valued values valve vamos vamp vanaf vancouver vand
vandaag vang vanhu vania vant vanuit vapor vara vard vari variable variables variant variants
varias variation variations varied varies varieties variety varios various vars vary varying vast
veces vector veel veer vegan vegas veget vegetables vehicle vehicles veilig veis vele velle veloc
velocity velop velope veloper velopment vement vend venda vendor vendors vene venes venezuela venir
vens vent venta vente ventil vention ventions ventory venture venue venues vera verage veral verand
veranst verb verbeter verbose verd verdad verdade verde verder vere verg verh verhaal verification
verified verify verk verl verm vern verp verr vers versatile versation versch verschied
verschiedene verschiedenen verschill verschillende verse version versions verst verste versus vert
verte verted verter vertex vertheless vertical vertices vertr verts verture verv vervol verw
verwendet verwij very verz vess vessel vessels vest veter veteran veterans veut veya vezes viagra
viation vibr vibrant vice vict victim victims victoria victory vida vidas vide vidence video videos
vider vido viel viele vielen vielleicht vien viene vient vier vietnam view viewed viewer viewers
viewing viewport views vigil vikt vill villa village villages ville vimento vinc vind vinden vindt
vine ving vintage vinyl viol violation violence violent vious viously viral virgin virginia viron
vironment virt virtual virtually virus visa vised visibility visible vision visions visit visita
visite visited visiting visitor visitors visits visor vista visto visual vita vital vitam vitamin
vitamins vite vive vivo vivre vocal voet voice voices void voir voit voiture voke volatile voldo
volg volgende volgens volks voll volle volled volledig volont volt volta voltage volume volumes
volunt volunte volunteer volunteers volupt volution volver vona vont voor vooral voorbeeld voord
voork voort voorzien vorm vost vote voted voters votes voting votre voud vous voyage vraag vragen
vrai vraiment vriend vrier vrij vroeg vrou vrouw vrouwen vuel vulner vulnerable waar waarbij waard
waardoor waarin wage wagen wager wahl waist wait waiting wakati wake waktu waku wala wales walk
walked walker walking walks wall wallet wallpaper walls wana wand wanda wang wannan wanneer want
wanted wanting wants ward wards ware warehouse waren warm warming warn warned warning warnings
warrant warranties warranty wars wart wash washing washington wasn wasser waste watch watched
watches watching water waters wave waves waxa waxaa waxay waye wayne ways weak weakness wealth
weapon weapons wear wearing weather webcam webpack website websites wedding wedi wednesday wedstr
week weekend weekends weekly weeks ween weer weet weets wege wegen wegian weigh weight weights weil
weinig weird weis weise weit weiter weitere weiterhin weke weken welche welcome welcomed welcoming
welfare welke well wellness welt wena wend wendung weni wenig weniger wenn went werd werde werden
were wereld weren werk werken werking werkt werp werpen wers wert west western weten weza whak what
whatever whats wheel wheels when whenever where whereas wherever whether which while whilst whit
white whites whole wholesale whom whose wich wicht wichtig wick wicklung wide widely wider wides
widespread widget widgets width wieder wife wifi wijl wijs wiki wikipedia wild wildlife will willen
william williams willing wilson wilt wind window windows winds wine wines wing wings winner winners
winning wins winter wird wire wireless wiring wirk wirklich wisconsin wisdom wise wish wishes
wissen witch with withdraw withdrawal within without witness witter wner wnie woche wochen wohl
wohn wolf woll wollen woman women wonder wonderful wondering woning wood wooden woods woon woord
word worden words wordt wore work worked worker workers workflow workforce working workout
workplace works workshop workshops workspace world worlds worldwide worm worn worried worry worse
worship worst wort worth worthy would wouldn wrap wrapped wrapper wrest wrist writ write writer
writers writes writing written wrong wrote wszyst wurde wurden wydd xbox xctassert xffff xico
xikwembu xima ximately ximo xture xtures xxxx xygen yahoo yake yana yang yard yards ycle ydney yeah
year years yect yehovha yellow yena yeni yers yesterday yesu yeur yeux ygon yield ying ylan yled
yles ylon ylvania ymbol ymmetric ymph ynam ynamic ynamics ynchron ynda yntax ynth yoga yond york
young younger your yours yourself youth youtube ypes yram yrics ysis ysql ystal ystem yster ythm
ython ytics yuav yyyy zaam zahl zaman zdrav zealand zech zeer zeggen zegt zeich zeichnet zeigen
zeigt zeit zeitig zeker zelf zelfde zelfs zenia zenie zens zent zept zero zeros zetten zeug zial
zich zicht zieh ziel zien zier ziet zijn zimmer zing zinha zione zitten zlich zoals zodat zoek zona
zonder zone zones zoom zorg zorgen zorgt zowel zuela zullen zung zusammen zwar zwei zwischen zyme
"""
