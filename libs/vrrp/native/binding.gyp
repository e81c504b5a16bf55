{
  "targets": [{
    "target_name": "ipv6_raw",
    "sources": ["ipv6_raw.cc"],
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
    "defines": ["NAPI_DISABLE_CPP_EXCEPTIONS", "NAPI_VERSION=8"],
    "cflags_cc": ["-std=c++17"]
  }]
}
