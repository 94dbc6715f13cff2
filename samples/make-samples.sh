#!/usr/bin/env bash
# Regenerates every file in samples/ (see README.md). Output is deterministic enough for tests but not
# byte-identical across ffmpeg versions; the committed files were made with ffmpeg 5.1 (Debian 12).
set -euo pipefail
cd "$(dirname "$0")"
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf
SRC_V="testsrc2=size=640x360:rate=30,drawtext=fontfile=$FONT:text='Shoal sample %{pts\:hms} frame %{frame_num}':x=20:y=20:fontsize=28:fontcolor=white:box=1:boxcolor=black@0.6"

rm -rf hls && mkdir -p hls
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "$SRC_V" -f lavfi -i "sine=frequency=440:sample_rate=48000:beep_factor=4" \
  -t 60 -map 0:v -map 1:a \
  -c:v libx264 -preset medium -profile:v main -pix_fmt yuv420p -b:v 450k -maxrate 500k -bufsize 1000k \
  -g 60 -keyint_min 60 -sc_threshold 0 -force_key_frames "expr:gte(t,n_forced*2)" \
  -c:a aac -b:a 64k -ac 2 \
  -f hls -hls_time 2 -hls_playlist_type vod -hls_segment_type mpegts \
  -hls_segment_filename "hls/seg_%03d.ts" hls/index.m3u8

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "$SRC_V" -f lavfi -i "sine=frequency=440:sample_rate=48000:beep_factor=4" \
  -t 10 -map 0:v -map 1:a \
  -c:v libx264 -preset medium -profile:v main -pix_fmt yuv420p -b:v 250k -maxrate 300k -bufsize 600k \
  -g 60 -keyint_min 60 -sc_threshold 0 -c:a aac -b:a 48k -ac 2 -movflags +faststart vod.mp4

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "$SRC_V" -f lavfi -i "sine=frequency=440:sample_rate=44100:beep_factor=4" \
  -t 20 -map 0:v -map 1:a \
  -c:v libx264 -preset medium -profile:v main -pix_fmt yuv420p -b:v 300k -maxrate 350k -bufsize 700k \
  -g 60 -keyint_min 60 -sc_threshold 0 -c:a aac -b:a 48k -ac 2 -f flv live.flv

# dash/: the MP4 above repackaged (no re-encode) as DASH with SegmentTemplate + SegmentTimeline.
rm -rf dash && mkdir -p dash
ffmpeg -hide_banner -loglevel error -y -i vod.mp4 -map 0:v -map 0:a -c copy -f dash -seg_duration 2 \
  -use_timeline 1 -use_template 1 -init_seg_name 'init-$RepresentationID$.m4s' \
  -media_seg_name 'chunk-$RepresentationID$-$Number%05d$.m4s' dash/manifest.mpd
