"""What a customs broker adds to the duty (통관 비용): user fees, AD/CVD deposits, the won rate, landed cost."""
