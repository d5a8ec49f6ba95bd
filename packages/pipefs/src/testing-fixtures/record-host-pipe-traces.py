# Records random non-blocking pipe operations on the host kernel, for replay in vitest.
import os, fcntl, errno, select, random, array, termios, json, sys, platform
F_SETPIPE_SZ=1031; F_GETPIPE_SZ=1032
def fionread(fd):
    buf=array.array('i',[0]); fcntl.ioctl(fd, termios.FIONREAD, buf, True); return buf[0]
def pollmask(fd):
    p=select.poll(); p.register(fd, select.POLLIN|select.POLLOUT); ev=p.poll(0); return ev[0][1] if ev else 0
SIZES=[1,2,3,7,100,511,1000,2048,3000,4095,4096,4097,5000,6000,8191,8192,8193,10000,12288,20000,32768,65535,65536,70000,131072]
SETS=[0,4096,5000,8192,16384,32768,65536,131072]
def trace(seed, n):
    rnd=random.Random(seed)
    r,w=os.pipe2(os.O_NONBLOCK)
    if seed % 3 == 1: fcntl.fcntl(w, F_SETPIPE_SZ, 8192)
    if seed % 3 == 2: fcntl.fcntl(w, F_SETPIPE_SZ, 16384)
    ops=[]
    initial=fcntl.fcntl(w, F_GETPIPE_SZ)
    for _ in range(n):
        k=rnd.random()
        if k<0.5:
            size=rnd.choice(SIZES) if rnd.random()<0.8 else rnd.randint(1,9000)
            try: res=os.write(w, b'\0'*size)
            except OSError as e: res=errno.errorcode[e.errno]
            ops.append(["w",size,res])
        elif k<0.93:
            size=rnd.choice(SIZES) if rnd.random()<0.8 else rnd.randint(1,9000)
            try: res=len(os.read(r, size))
            except OSError as e: res=errno.errorcode[e.errno]
            ops.append(["r",size,res])
        else:
            size=rnd.choice(SETS)
            try: res=fcntl.fcntl(w, F_SETPIPE_SZ, size)
            except OSError as e: res=errno.errorcode[e.errno]
            ops.append(["s",size,res])
        ops[-1] += [fionread(r), pollmask(r), pollmask(w)]
    os.close(r); os.close(w)
    return {"seed": seed, "capacity": initial, "ops": ops}
traces=[trace(s, 300) for s in range(1, 5)]
print(json.dumps({"kernel": platform.release(), "traces": traces}, separators=(",",":")))
