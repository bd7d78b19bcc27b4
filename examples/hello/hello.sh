#!/bin/sh
# The program of the example image: greets in the language the image was built for.
echo "$(cat /app/greeting), $(id -un)! This image was built from a Modusfile by BuildKit."
